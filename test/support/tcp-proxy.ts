/**
 * A loopback TCP relay in front of a server, so a test can break the network between a browser
 * and that server the way networks break: `cut()` resets every open connection at once (a Wi-Fi
 * drop, a proxy restart), `stall()` keeps them open but stops carrying their bytes (a half-dead
 * link: nothing tells either end). Connections made afterwards work normally.
 */
import net from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: the target, through the relay. */
  url: string;
  /** Connections open right now. */
  open(): number;
  /** Reset every open connection (both sides see it end). */
  cut(): void;
  /** The connections open now carry no more bytes in either direction, and stay open. */
  stall(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; stalled: boolean }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream, stalled: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    // While stalled the bytes are dropped, not buffered: like a link that lost them.
    client.on('data', (chunk: Buffer) => {
      if (!pair.stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const cut = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => pairs.size,
    cut,
    stall() {
      for (const pair of pairs) pair.stalled = true;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

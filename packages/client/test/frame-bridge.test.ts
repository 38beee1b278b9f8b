import { EVENT_FLOW, type IpcRequestFrame } from '@chamber/contract';
import { describe, expect, it } from 'vitest';
import { createDesktopTransport } from '../src/desktop-transport.js';
import { RuntimeCallError } from '../src/errors.js';
import { createFrameBridge } from '../src/frame-invoker.js';

function setup() {
  const sent: IpcRequestFrame[] = [];
  const bridge = createFrameBridge((frame) => sent.push(frame));
  return { sent, bridge };
}

/** Let promise callbacks run (no timers involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('frame bridge', () => {
  it('sends numbered command frames and matches answers that arrive out of order', async () => {
    const { sent, bridge } = setup();
    const first = bridge.invoke('list_directory', { path: '/a' });
    const second = bridge.invoke('load_settings', {});
    expect(sent).toEqual([
      { id: 1, command: 'list_directory', args: { path: '/a' } },
      { id: 2, command: 'load_settings', args: {} },
    ]);
    bridge.receive({ id: 2, result: { themeId: 'x' } });
    bridge.receive({ id: 1, result: { entries: [] } });
    await expect(first).resolves.toEqual({ entries: [] });
    await expect(second).resolves.toEqual({ themeId: 'x' });
  });

  it('rejects with the { status, message } of an error frame', async () => {
    const { bridge } = setup();
    const call = bridge.invoke('create_directory', {});
    bridge.receive({ id: 1, error: { status: 400, message: 'Path is required' } });
    await expect(call).rejects.toEqual({ status: 400, message: 'Path is required' });
  });

  it('ignores frames with unknown or null ids and answers delivered twice', async () => {
    const { bridge } = setup();
    const call = bridge.invoke('load_settings', {});
    bridge.receive({ id: 99, result: 'stray' });
    bridge.receive({ id: null, error: { status: 400, message: 'unparseable frame' } });
    bridge.receive({ id: 1, result: 'ok' });
    bridge.receive({ id: 1, result: 'again' });
    await expect(call).resolves.toBe('ok');
  });

  it('resolves listen only after the subscribe ack, dispatches events, and unsubscribes', async () => {
    const { sent, bridge } = setup();
    const seen: unknown[] = [];
    let resolved = false;
    const listening = bridge
      .listen('settings://changed', (p) => seen.push(p))
      .then((unlisten) => {
        resolved = true;
        return unlisten;
      });
    expect(sent).toEqual([{ id: 1, subscribe: 'settings://changed' }]);
    await flush();
    expect(resolved).toBe(false);
    bridge.receive({ id: 1, result: null });
    const unlisten = await listening;
    bridge.receive({ event: 'settings://changed', payload: { themeId: 'a' } });
    bridge.receive({ event: 'other://event', payload: 'ignored' });
    expect(seen).toEqual([{ themeId: 'a' }]);
    unlisten();
    unlisten(); // idempotent: one unsubscribe frame
    expect(sent.slice(1)).toEqual([{ id: 2, unsubscribe: 'settings://changed' }]);
    bridge.receive({ event: 'settings://changed', payload: { themeId: 'b' } });
    expect(seen).toHaveLength(1);
  });

  it('acknowledges a burst of positioned events with one frame carrying the highest position', async () => {
    const { sent, bridge } = setup();
    const step = EVENT_FLOW.ackEvery;
    let release!: () => void;
    const rendered = new Promise<void>((resolve) => (release = resolve));
    const listening = bridge.listen('terminal://t1', (_payload, position) =>
      position === step + 40 ? rendered : undefined,
    );
    bridge.receive({ id: 1, result: null });
    await listening;
    // Less than `ackEvery` processed: acknowledged `ackDelayMs` later, not at once.
    bridge.receive({ event: 'terminal://t1', payload: 'a', position: 10 });
    bridge.receive({ event: 'terminal://t1', payload: 'b', position: 25 });
    await flush();
    expect(sent.slice(1)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, EVENT_FLOW.ackDelayMs + 30));
    expect(sent.slice(1)).toEqual([{ id: 2, ack: 'terminal://t1', position: 25 }]);
    // Past `ackEvery`: at once (after the burst), the highest position whose handler is done.
    bridge.receive({ event: 'terminal://t1', payload: 'c', position: step + 30 });
    bridge.receive({ event: 'terminal://t1', payload: 'd', position: step + 40 });
    await flush();
    expect(sent.slice(1)).toEqual([
      { id: 2, ack: 'terminal://t1', position: 25 },
      { id: 3, ack: 'terminal://t1', position: step + 30 },
    ]);
    release();
    await new Promise((resolve) => setTimeout(resolve, EVENT_FLOW.ackDelayMs + 30));
    expect(sent.slice(1)).toEqual([
      { id: 2, ack: 'terminal://t1', position: 25 },
      { id: 3, ack: 'terminal://t1', position: step + 30 },
      { id: 4, ack: 'terminal://t1', position: step + 40 },
    ]);
  });

  it('shares one host subscription between handlers of the same event', async () => {
    const { sent, bridge } = setup();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const first = bridge.listen('e', (p) => a.push(p));
    const second = bridge.listen('e', (p) => b.push(p));
    bridge.receive({ id: 1, result: null });
    const [stopA, stopB] = await Promise.all([first, second]);
    expect(sent).toEqual([{ id: 1, subscribe: 'e' }]);
    bridge.receive({ event: 'e', payload: 1 });
    stopA();
    expect(sent).toHaveLength(1);
    bridge.receive({ event: 'e', payload: 2 });
    stopB();
    expect(sent[1]).toEqual({ id: 2, unsubscribe: 'e' });
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('rejects listen when the host refuses the subscription, and asks again next time', async () => {
    const { sent, bridge } = setup();
    const refused = bridge.listen('nope://x', () => {});
    bridge.receive({ id: 1, error: { status: 400, message: 'Unknown event: nope://x' } });
    await expect(refused).rejects.toEqual({ status: 400, message: 'Unknown event: nope://x' });
    void bridge.listen('nope://x', () => {}).catch(() => {});
    expect(sent[1]).toEqual({ id: 2, subscribe: 'nope://x' });
  });

  it('keeps delivering to other handlers when one throws', async () => {
    const { bridge } = setup();
    const seen: unknown[] = [];
    const reported: unknown[] = [];
    const original = (globalThis as { reportError?: unknown }).reportError;
    (globalThis as { reportError?: unknown }).reportError = (e: unknown) => reported.push(e);
    try {
      const first = bridge.listen('e', () => {
        throw new Error('handler bug');
      });
      const second = bridge.listen('e', (p) => seen.push(p));
      bridge.receive({ id: 1, result: null });
      await Promise.all([first, second]);
      bridge.receive({ event: 'e', payload: 'x' });
    } finally {
      (globalThis as { reportError?: unknown }).reportError = original;
    }
    expect(seen).toEqual(['x']);
    expect(reported).toHaveLength(1);
  });

  it('close() rejects every pending call and later ones with RuntimeCallError(0)', async () => {
    const { bridge } = setup();
    const call = bridge.invoke('load_settings', {});
    const sub = bridge.listen('e', () => {});
    bridge.close();
    for (const pending of [call, sub, bridge.invoke('load_settings', {})]) {
      const error = await pending.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RuntimeCallError);
      expect(error).toMatchObject({ status: 0, message: 'IPC channel closed' });
    }
  });

  it('rejects a call whose frame cannot be sent', async () => {
    const bridge = createFrameBridge(() => {
      throw new Error('write after end');
    });
    await expect(bridge.invoke('load_settings', {})).rejects.toMatchObject({
      status: 0,
      message: 'IPC send failed: write after end',
    });
  });
});

describe('desktop transport', () => {
  const failing = (reason: unknown) =>
    createDesktopTransport({
      invoke: () => Promise.reject(reason),
      listen: () => Promise.reject(reason),
    });

  it.each([
    [{ status: 403, message: 'Access to this path is not allowed' }, 403, 'Access to this path is not allowed'],
    ['plain string rejection', 500, 'plain string rejection'],
    ['', 500, ''],
    [new Error('thrown error'), 500, 'thrown error'],
    [new RuntimeCallError(0, 'IPC channel closed'), 0, 'IPC channel closed'],
  ])('normalises the rejection %j once', async (reason, status, message) => {
    for (const call of [failing(reason).invoke('load_settings', {}), failing(reason).listen('e', () => {})]) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RuntimeCallError);
      expect(error).toMatchObject({ name: 'RuntimeCallError', status, message });
    }
  });

  it('passes results and accepts a synchronous or asynchronous unlisten from the bridge', async () => {
    const calls: unknown[] = [];
    const transport = createDesktopTransport({
      invoke: async (command, args) => ({ command, args }),
      listen: (event) => () => calls.push(event),
    });
    expect(transport.kind).toBe('desktop');
    await expect(transport.invoke('list_directory', { path: '/x' })).resolves.toEqual({
      command: 'list_directory',
      args: { path: '/x' },
    });
    (await transport.listen('e', () => {}))();
    expect(calls).toEqual(['e']);
  });

  it('works end to end over a frame bridge', async () => {
    const sent: IpcRequestFrame[] = [];
    const bridge = createFrameBridge((frame) => sent.push(frame));
    const transport = createDesktopTransport(bridge);
    const call = transport.invoke('create_directory', { path: '' });
    bridge.receive({ id: 1, error: { status: 400, message: 'Path is required' } });
    await expect(call).rejects.toMatchObject({ name: 'RuntimeCallError', status: 400, message: 'Path is required' });
  });
});

/**
 * A desktop host in its own process, remote-controlled by a test over stdio (one JSON object per
 * line): the host is launched exactly as `chamber --desktop` launches it (single-instance lock,
 * log file, real browser over the DevTools pipe), and the test's requests are played *in the
 * window's page* through the real client (`window.__OPENCHAMBER_RUNTIME_APIS__`), so every call
 * crosses page → binding → pipe → IpcHost → runtime and back.
 *
 * Options come as JSON in CHAMBER_DRIVER_OPTIONS; with CHAMBER_DRIVER_LINGER=1 the process stays
 * after the host closed (until the `close` request), so a test sees what the host itself ended
 * while the process that owned it still runs. Messages out: `{ event: 'ready', info }`,
 * `{ event: 'closed', reason }`, and `{ id, result }` / `{ id, error }` answers.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { launchDesktop, type DesktopHost, type DesktopLaunchOptions } from '@chamber/desktop';

interface Request {
  id: number;
  op: string;
  [key: string]: unknown;
}

const options = JSON.parse(process.env.CHAMBER_DRIVER_OPTIONS ?? '{}') as DesktopLaunchOptions;
const write = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
const network: { url: string; method: string; type?: string }[] = [];
const linger = process.env.CHAMBER_DRIVER_LINGER === '1';
/** Exit once the last line has reached the test. */
const exitSoon = () => process.stdout.write('', () => process.exit(0));

/** Play one RuntimeAPIs call in the page and bring back its outcome (status, message and any detail on failure). */
const PAGE_CALL = `async function (path, argsJson) {
  const args = JSON.parse(argsJson);
  const apis = globalThis.__OPENCHAMBER_RUNTIME_APIS__;
  const parts = path.split('.');
  const method = parts.pop();
  const target = parts.reduce((object, key) => object[key], apis);
  try {
    return { ok: (await target[method](...args)) ?? null };
  } catch (error) {
    return { error: { status: error.status, message: error.message, detail: error.detail } };
  }
}`;

/** `userGesture`: as if the user had clicked (what window.open needs past the popup blocker). */
async function evaluate(host: DesktopHost, expression: string, userGesture = false): Promise<unknown> {
  const answer = await host.page.send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>(
    'Runtime.evaluate',
    { expression, awaitPromise: true, returnByValue: true, userGesture },
  );
  if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.text);
  return answer.result.value;
}

async function callInPage(host: DesktopHost, path: string, args: unknown[]): Promise<unknown> {
  const { result: document } = await host.page.send<{ result: { objectId: string } }>('Runtime.evaluate', {
    expression: 'globalThis',
  });
  const answer = await host.page.send<{ result: { value?: unknown } }>('Runtime.callFunctionOn', {
    objectId: document.objectId,
    functionDeclaration: PAGE_CALL,
    // As JSON text: the DevTools protocol refuses deeply nested values, the page's JSON.parse does not.
    arguments: [{ value: path }, { value: JSON.stringify(args) }],
    awaitPromise: true,
    returnByValue: true,
  });
  return answer.result.value;
}

/** Loaded, with the runtime APIs installed (the UI bundle and the client page both install them first). */
const PAGE_READY = `document.readyState === 'complete' && typeof globalThis.__OPENCHAMBER_RUNTIME_APIS__ === 'object'`;

async function waitForPage(host: DesktopHost): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await evaluate(host, PAGE_READY).catch(() => false)) === true) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('The page did not become ready within 10 s');
}

async function handle(host: DesktopHost, request: Request): Promise<unknown> {
  switch (request.op) {
    case 'invoke':
      return callInPage(host, 'raw.invoke', [request.command, request.args ?? {}]);
    case 'call':
      return callInPage(host, request.path as string, (request.args as unknown[]) ?? []);
    case 'evaluate':
      return evaluate(host, request.expression as string, request.userGesture === true);
    case 'cdp':
      // One DevTools command on the page's session (Input.* events, Emulation.*), over the same pipe.
      return host.page.send(request.method as string, (request.params as Record<string, unknown>) ?? {});
    case 'network':
      return network;
    case 'requests':
      return host.requests;
    case 'bounds':
      return (await host.connection.send<{ bounds: unknown }>('Browser.getWindowBounds', { windowId: host.windowId }))
        .bounds;
    case 'setBounds':
      await host.connection.send('Browser.setWindowBounds', { windowId: host.windowId, bounds: request.bounds });
      return null;
    case 'screenshot': {
      const { data } = await host.page.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(request.path as string, Buffer.from(data, 'base64'));
      return null;
    }
    case 'closeWindow':
      // What the user's close button does: the page closes, the window goes, the browser exits.
      await host.page.send('Page.close');
      return null;
    case 'close':
      await host.close();
      if (linger) setImmediate(exitSoon);
      return null;
    default:
      throw new Error(`Unknown op ${request.op}`);
  }
}

const launch = await launchDesktop(options);
if (launch.kind === 'secondary') {
  write({ event: 'secondary' });
  process.exit(0);
}
const { host } = launch;
host.page.on<{ request: { url: string; method: string }; type?: string }>('Network.requestWillBeSent', (params) =>
  network.push({ url: params.request.url, method: params.request.method, type: params.type }),
);
// The page's own network log, from a fresh load on (the first load happened before we could
// enable it; the host's interception history covers that one).
await host.page.send('Network.enable');
await host.page.send('Page.enable');
const reloaded = new Promise<void>((resolve) => {
  const stop = host.page.on('Page.loadEventFired', () => (stop(), resolve()));
});
await host.page.send('Page.reload');
await reloaded;
await waitForPage(host);
write({
  event: 'ready',
  info: {
    pid: process.pid,
    browserPid: host.browserPid,
    origin: host.origin,
    dataDir: launch.dataDir,
    logFile: launch.logFile,
  },
});
void host.closed.then((reason) => {
  write({ event: 'closed', reason });
  if (!linger) exitSoon();
});

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  const request = JSON.parse(line) as Request;
  handle(host, request).then(
    (result) => write({ id: request.id, result: result ?? null }),
    (error: unknown) => write({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

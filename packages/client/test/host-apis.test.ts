/** permissions / notifications / diagnostics in RuntimeAPIs: desktop calls the host, the web stays local. */
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntimeAPIs, RuntimeCallError, type Transport } from '../src/index.js';

function desktopTransport(answer: (command: string, args: unknown) => unknown): Transport & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    kind: 'desktop',
    calls,
    async invoke(command, args) {
      calls.push({ command, args });
      return answer(command, args) as never;
    },
    async listen() {
      return () => {};
    },
  };
}

const webTransport: Transport = {
  kind: 'web',
  invoke: () => Promise.reject(new Error('the web side must not call the runtime')),
  listen: () => Promise.reject(new Error('no events')),
};

describe('desktop', () => {
  it('permissions call the host and drop null members', async () => {
    const transport = desktopTransport((command) =>
      command === 'request_directory_access'
        ? { success: true, path: '/p', error: null }
        : { success: false, error: 'Directory does not exist' },
    );
    const apis = createRuntimeAPIs(transport);
    expect(await apis.permissions.requestDirectoryAccess({ path: '' })).toEqual({ success: true, path: '/p' });
    expect(await apis.permissions.startAccessingDirectory('/x')).toEqual({
      success: false,
      error: 'Directory does not exist',
    });
    expect(transport.calls[0]).toEqual({ command: 'request_directory_access', args: { request: { path: '' } } });
  });

  it('permissions never reject: a failure becomes { success: false, error }', async () => {
    const apis = createRuntimeAPIs(
      desktopTransport(() => {
        throw new RuntimeCallError(0, 'IPC channel closed');
      }),
    );
    expect(await apis.permissions.stopAccessingDirectory('/x')).toEqual({
      success: false,
      error: 'IPC channel closed',
    });
  });

  it('notifications resolve true on success and false on any failure', async () => {
    let fail = false;
    const apis = createRuntimeAPIs(
      desktopTransport(() => {
        if (fail) throw new RuntimeCallError(503, 'Notifications are unavailable');
        return true;
      }),
    );
    expect(await apis.notifications.notifyAgentCompletion({ title: 't' })).toBe(true);
    fail = true;
    expect(await apis.notifications.notifyAgentCompletion()).toBe(false);
  });

  it('downloadLogs fills the defaults and keeps the runtime message on failure', async () => {
    let answer: unknown = { fileName: '', content: null };
    const apis = createRuntimeAPIs(
      desktopTransport(() => {
        if (answer instanceof Error) throw answer;
        return answer;
      }),
    );
    expect(await apis.diagnostics?.downloadLogs()).toEqual({ fileName: 'desktop.log', content: '' });
    answer = new RuntimeCallError(500, 'Failed to read log file: EISDIR');
    await expect(apis.diagnostics?.downloadLogs()).rejects.toThrow(/^Failed to read log file: EISDIR$/);
  });
});

describe('web', () => {
  const scope = globalThis as { Notification?: unknown };
  afterEach(() => delete scope.Notification);

  it('permissions succeed locally, as the reference web build did', async () => {
    const apis = createRuntimeAPIs(webTransport);
    expect(await apis.permissions.requestDirectoryAccess({ path: '/p' })).toEqual({ success: true, path: '/p' });
    expect(await apis.permissions.startAccessingDirectory('/p')).toEqual({ success: true });
    expect(apis.diagnostics).toBeUndefined();
  });

  it('notifications use the browser Notification API with the shared defaults and the tag', async () => {
    const shown: unknown[] = [];
    scope.Notification = class {
      static permission = 'default';
      static requestPermission = async () => 'granted';
      constructor(title: string, options: unknown) {
        shown.push({ title, options });
      }
    };
    const apis = createRuntimeAPIs(webTransport);
    expect(await apis.notifications.notifyAgentCompletion({ tag: 'a' })).toBe(true);
    expect(shown).toEqual([{ title: 'OpenChamber', options: { body: 'Task completed', tag: 'a' } }]);
  });

  it('notifications answer false without the API or permission', async () => {
    const apis = createRuntimeAPIs(webTransport);
    expect(await apis.notifications.notifyAgentCompletion()).toBe(false);
    expect(apis.notifications.canNotify?.()).toBe(false);
    scope.Notification = class {
      static permission = 'denied';
      static requestPermission = async () => 'denied';
    };
    expect(await apis.notifications.notifyAgentCompletion()).toBe(false);
  });
});

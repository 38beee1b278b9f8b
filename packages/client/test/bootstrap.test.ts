import { describe, expect, it } from 'vitest';
import {
  DESKTOP_CHANNEL_GLOBAL,
  RUNTIME_APIS_GLOBAL,
  type DesktopHostChannel,
  type IpcRequestFrame,
} from '@chamber/contract';
import { createBrowserRuntimeAPIs, findDesktopChannel, installRuntimeAPIs } from '../src/index.js';

/** A host stand-in that answers frames as JSON text, asynchronously, like a real pipe. */
function fakeHost(answer: (frame: IpcRequestFrame) => unknown): { channel: DesktopHostChannel; sent: string[] } {
  const sent: string[] = [];
  const channel: DesktopHostChannel = {
    onframe: null,
    postFrame(text) {
      sent.push(text);
      const frame = JSON.parse(text) as IpcRequestFrame;
      setTimeout(() => channel.onframe?.(JSON.stringify(answer(frame))), 0);
    },
  };
  return { channel, sent };
}

describe('browser bootstrap', () => {
  it('finds no desktop channel on the web', () => {
    expect(findDesktopChannel({})).toBeUndefined();
    expect(createBrowserRuntimeAPIs({ scope: {}, web: { baseUrl: 'http://127.0.0.1:1' } }).runtime.isDesktop).toBe(
      false,
    );
  });

  it('speaks JSON frames through the host channel when the host defined it', async () => {
    const { channel, sent } = fakeHost((frame) =>
      'command' in frame && frame.command === 'get_home_directory'
        ? { id: frame.id, result: { home: '/home/test' } }
        : { id: frame.id, error: { status: 404, message: 'Unknown command' } },
    );
    const scope: Record<string, unknown> = { [DESKTOP_CHANNEL_GLOBAL]: channel };
    const apis = installRuntimeAPIs({ scope });
    expect(scope[RUNTIME_APIS_GLOBAL]).toBe(apis);
    expect(apis.runtime.isDesktop).toBe(true);
    expect(await apis.files.home()).toBe('/home/test');
    expect(JSON.parse(sent[0] as string)).toMatchObject({ command: 'get_home_directory', args: {} });
  });

  it('turns an error frame into an Error carrying the runtime message verbatim', async () => {
    const { channel } = fakeHost((frame) => ({
      id: frame.id,
      error: { status: 403, message: 'Access to directory denied' },
    }));
    const apis = createBrowserRuntimeAPIs({ scope: { [DESKTOP_CHANNEL_GLOBAL]: channel } });
    await expect(apis.files.list('/etc')).rejects.toThrow(/^Access to directory denied$/);
  });
});

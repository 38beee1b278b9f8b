/** IPC frames across a real process boundary: what a malformed or unknown frame gets back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspaceFixture, type WorkspaceFixture } from './support/fixtures.js';
import { openRuntimeOptions, startIpc, type RunningTransport } from './support/transports.js';

let fixture: WorkspaceFixture;
let ipc: RunningTransport;

beforeAll(async () => {
  fixture = buildWorkspaceFixture('chamber-ipc-');
  ipc = await startIpc(openRuntimeOptions(fixture));
});
afterAll(async () => {
  await ipc.close();
  fixture.cleanup();
});

async function rawAnswer(text: string, match: (frame: Record<string, unknown>) => boolean) {
  const before = ipc.rawFrames!.length;
  ipc.sendRaw!(text);
  for (let i = 0; i < 200; i++) {
    const found = ipc.rawFrames!.slice(before).find((f) => match(f as Record<string, unknown>));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no answer to ${text.slice(0, 80)}`);
}

describe('IPC host', () => {
  it('answers malformed JSON with a 400 frame and keeps serving', async () => {
    const answer = await rawAnswer('{"id": 1, "command": ', (f) => f.id === null);
    expect(answer).toMatchObject({ id: null, error: { status: 400 } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/^Malformed frame: /);
    expect(await ipc.transport.invoke('get_home_directory', {})).toEqual({ home: fixture.home });
  });

  it('answers a frame without an id', async () => {
    const answer = await rawAnswer('{"command":"get_home_directory"}', (f) => f.id === null);
    expect(answer).toEqual({
      id: null,
      error: { status: 400, message: 'Frame must be an object with a numeric or string id' },
    });
  });

  it('answers an unknown command with 404', async () => {
    const answer = await rawAnswer('{"id":"u1","command":"rm_rf"}', (f) => f.id === 'u1');
    expect(answer).toEqual({ id: 'u1', error: { status: 404, message: 'Unknown command: rm_rf' } });
  });

  it('answers arguments that are not an object with 400', async () => {
    const answer = await rawAnswer('{"id":"a1","command":"list_directory","args":[1]}', (f) => f.id === 'a1');
    expect(answer).toEqual({
      id: 'a1',
      error: { status: 400, message: 'arguments must be a JSON object, not an array' },
    });
  });

  it('refuses a subscription to an unknown event', async () => {
    const answer = await rawAnswer('{"id":"s1","subscribe":"nope://x"}', (f) => f.id === 's1');
    expect(answer).toEqual({ id: 's1', error: { status: 400, message: 'Unknown event: nope://x' } });
  });

  it('pushes settings://changed to a subscribed window', async () => {
    const seen: unknown[] = [];
    const unlisten = await ipc.transport.listen('settings://changed', (payload) => seen.push(payload));
    await ipc.transport.invoke('save_settings', { changes: { themeId: 'ipc-theme' } });
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    unlisten();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ themeId: 'ipc-theme', showReasoningTraces: false });
  });
});

/**
 * The real OpenCode binary (the `opencode-ai` package this project installs) supervised by the
 * runtime and driven through both transports with the official SDK, its model a loopback fake
 * (test/support/fake-model.ts). Start, readiness, the locked port, a prompt whose reply streams
 * through `/api/event`, config edits that restart it, a directory change, a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, startAgentRig, waitFor, type AgentRig } from '../support/agent.js';
import { reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
import { createOpenCodeWorkspace, type OpenCodeWorkspace } from '../support/opencode-workspace.js';

let model: FakeModel;
let workspace: OpenCodeWorkspace;
let rig: AgentRig;

beforeAll(async () => {
  model = await startFakeModel({ chunkDelayMs: 5 });
  workspace = await createOpenCodeWorkspace({ baseURL: model.baseURL, permission: 'allow' });
  rig = await startAgentRig({ home: workspace.home, cwd: workspace.directory, env: workspace.env });
  if (!(await rig.runtime.opencode.waitUntilReady(60_000))) {
    throw new Error(
      `OpenCode not ready: ${rig.runtime.opencode.health().lastOpenCodeError}\n${await workspace.readLogs()}`,
    );
  }
});

afterAll(async () => {
  const pid = rig?.pid();
  await rig?.close();
  // Closing the runtime ends OpenCode (the whole process group).
  if (pid !== undefined) expect(isAlive(pid)).toBe(false);
  await model?.close();
  await workspace?.cleanup();
});

interface SdkOn {
  name: 'web' | 'ipc';
  sdk(): OpencodeClient;
}

const transports: SdkOn[] = [
  {
    name: 'web',
    sdk: () =>
      createOpencodeClient({ baseUrl: `${rig.url}/api`, fetch: ((input, init) => fetch(input, init)) as typeof fetch }),
  },
  {
    name: 'ipc',
    sdk: () => createOpencodeClient({ baseUrl: rig.ipc.opencode.baseUrl, fetch: rig.ipc.opencode.fetch }),
  },
];

async function agentNames(): Promise<Map<string, { description?: string }>> {
  const agents = (await (await fetch(`${rig.url}/api/agent`)).json()) as { name: string; description?: string }[];
  return new Map(agents.map((agent) => [agent.name, agent]));
}

describe('the real OpenCode, supervised', () => {
  it('is ready at /health, running in the workspace', async () => {
    const health = (await (await fetch(`${rig.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ openCodeRunning: true, isOpenCodeReady: true, lastOpenCodeError: null });
    const where = (await (await fetch(`${rig.url}/api/path`)).json()) as { directory: string };
    expect(where.directory).toBe(workspace.directory);
  });

  it('its own port refuses a request without our credentials', async () => {
    const port = rig.runtime.opencode.health().openCodePort;
    expect(port).not.toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/session`)).status).toBe(401);
    const guessed = `Basic ${Buffer.from('opencode:opencode').toString('base64')}`;
    expect((await fetch(`http://127.0.0.1:${port}/session`, { headers: { authorization: guessed } })).status).toBe(401);
    // Through Chamber the same request is allowed.
    expect((await fetch(`${rig.url}/api/session`)).status).toBe(200);
  });

  for (const transport of transports) {
    it(`a prompt through the SDK gets the model's reply, streamed on /event before the model finished (${transport.name})`, async () => {
      const sdk = transport.sdk();
      const directory = workspace.directory;
      const session = await sdk.session.create({ directory });
      expect(session.error).toBeUndefined();
      const sessionID = session.data!.id;
      const words = ['Streaming', ' through', ' the', ' pass-through', ' works.'];
      // The model sends two words, then waits for us: its reply provably has not ended when the
      // first words reach this side, however slow the machine is.
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      model.scriptSession(sessionID, reply.text(words, { delayMs: 20, hold: { after: 2, until: released } }));
      const events = await sdk.event.subscribe({ directory });
      let modelFinishedAtFirstText: number | undefined | null = null;
      const reading = (async () => {
        for await (const event of events.stream) {
          const typed = event as {
            type: string;
            properties: { sessionID?: string; field?: string; delta?: string };
          };
          if (typed.properties.sessionID !== sessionID) continue;
          if (
            typed.type === 'message.part.delta' &&
            typed.properties.field === 'text' &&
            modelFinishedAtFirstText === null
          ) {
            modelFinishedAtFirstText = model.mainRequests().find((r) => r.sessionID === sessionID)?.finishedAt;
            release();
          }
          if (typed.type === 'session.idle') return;
        }
      })();
      const sent = await sdk.session.promptAsync({ sessionID, directory, parts: [{ type: 'text', text: 'hello' }] });
      expect(sent.error).toBeUndefined();
      await Promise.race([
        reading,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no session.idle within 30 s')), 30_000)),
      ]);
      // A text delta reached us while the model was still holding the rest of its reply.
      expect(modelFinishedAtFirstText).toBeUndefined();
      const messages = await sdk.session.messages({ sessionID, directory });
      const texts = (messages.data ?? []).flatMap((message) =>
        message.info.role === 'assistant'
          ? message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : []))
          : [],
      );
      expect(texts.join('')).toBe(words.join(''));
    });
  }

  it('an agent created, edited and deleted through the config routes restarts OpenCode and shows in its /agent list', async () => {
    const before = rig.pid();
    const created = await fetch(`${rig.url}/api/config/agents/reviewer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: 'subagent', description: 'Reviews diffs', prompt: 'You review code.' }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({
      success: true,
      requiresReload: true,
      message: 'Agent reviewer created successfully. Reloading interface…',
      reloadDelayMs: 800,
    });
    expect(rig.pid()).not.toBe(before);
    expect((await agentNames()).get('reviewer')?.description).toBe('Reviews diffs');

    const updated = await fetch(`${rig.url}/api/config/agents/reviewer`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ description: 'Reviews diffs carefully' }),
    });
    expect(updated.status).toBe(200);
    expect((await agentNames()).get('reviewer')?.description).toBe('Reviews diffs carefully');

    // The reference's DELETE waited for the deleted agent to reappear and failed after ~15 s.
    const started = Date.now();
    const deleted = await fetch(`${rig.url}/api/config/agents/reviewer`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await agentNames()).has('reviewer')).toBe(false);
    expect(fs.existsSync(path.join(workspace.home, '.config', 'opencode', 'agent', 'reviewer.md'))).toBe(false);
  });

  it('a command created over IPC shows in OpenCode’s /command list', async () => {
    const answer = await rig.ipc.raw.invoke('create_command', {
      name: 'summarise',
      config: { description: 'Summarise the diff', template: 'Summarise $ARGUMENTS' },
    });
    expect(answer).toMatchObject({
      success: true,
      message: 'Command summarise created successfully. Reloading interface…',
    });
    const commands = (await (await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/command`)).json()) as {
      name: string;
    }[];
    expect(commands.map((command) => command.name)).toContain('summarise');
  });

  it('a directory change restarts OpenCode there; the same directory again is a no-op', async () => {
    const other = path.join(workspace.root, 'other-project');
    fs.mkdirSync(other, { recursive: true });
    const before = rig.pid();
    const moved = await fetch(`${rig.url}/api/opencode/directory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: other }),
    });
    expect(await moved.json()).toEqual({ success: true, restarted: true, path: other });
    expect(rig.pid()).not.toBe(before);
    expect(rig.runtime.opencode.health().isOpenCodeReady).toBe(true);
    expect(((await (await fetch(`${rig.url}/api/path`)).json()) as { directory: string }).directory).toBe(other);
    const again = await rig.ipc.raw.invoke('set_opencode_directory', { path: other });
    expect(again).toEqual({ success: true, restarted: false, path: other });
    // Back to the workspace, whose opencode.json names the fake model the later tests script.
    expect(await rig.ipc.raw.invoke('set_opencode_directory', { path: workspace.directory })).toMatchObject({
      restarted: true,
    });
  });

  it('the AI endpoint `opencode:` refines a prompt with the model configured in OpenCode, leaving no session behind', async () => {
    const saved = await fetch(`${rig.url}/api/chamber/ai-endpoint`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'opencode:' }),
    });
    expect(saved.status).toBe(200);
    const sessionsBefore = ((await (await fetch(`${rig.url}/api/session`)).json()) as unknown[]).length;
    const requestsBefore = model.mainRequests().length;
    model.script(
      reply.text(['{"prompt": "Add a burst option', ' to the rate limiter.", "rationale": ["names the change"]}']),
    );
    const refined = await fetch(`${rig.url}/api/prompts/refine`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'make the limiter allow bursts' }),
    });
    expect(refined.status).toBe(200);
    expect(await refined.json()).toEqual({
      prompt: 'Add a burst option to the rate limiter.',
      rationale: ['names the change'],
    });
    const sent = model.mainRequests().slice(requestsBefore);
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    // The refine instructions reached OpenCode's model, with none of OpenCode's tools to call.
    expect(JSON.stringify(request.body.messages)).toContain('make the limiter allow bursts');
    expect((request.body.tools ?? []).map((tool) => tool.function?.name)).not.toContain('write');
    expect((request.body.tools ?? []).map((tool) => tool.function?.name)).not.toContain('bash');
    // The throwaway session is gone again.
    expect(((await (await fetch(`${rig.url}/api/session`)).json()) as unknown[]).length).toBe(sessionsBefore);
    // The same over IPC: the settings' test call answers through OpenCode too.
    model.script(reply.text('OK'));
    const tested = await rig.ipc.raw.invoke('test_ai_endpoint', {});
    expect(tested).toMatchObject({ ok: true, chatCompletionsUrl: 'opencode:', reply: 'OK' });
  });

  it('after kill -9 it is reported down at once and is back, ready, within seconds', async () => {
    const before = rig.pid();
    process.kill(before, 'SIGKILL');
    await waitFor(() => !rig.runtime.opencode.health().isOpenCodeReady, 2_000, 'the crash to be reported');
    expect(rig.runtime.opencode.health().lastOpenCodeError).toMatch(/^OpenCode exited with code null, signal SIGKILL/);
    const started = Date.now();
    await waitFor(() => rig.runtime.opencode.health().isOpenCodeReady, 30_000, 'OpenCode back');
    expect(rig.pid()).not.toBe(before);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await fetch(`${rig.url}/api/session`)).status).toBe(200);
  });
});

/**
 * The terminal manager against real PTYs (bash in a temp HOME): the behaviour each transport
 * relies on, without any transport in between.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeError, type TerminalServerEvent } from '@chamber/contract';
import { Sandbox, silentLogger, TerminalManager, type EventSubscription } from '../../src/index.js';
import { attach, pidsMatching, shellEnv, terminalFixture, waitFor } from './helpers.js';

const fx = terminalFixture();
afterAll(() => fx.cleanup());

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<{ status: number; message: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof RuntimeError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('terminal sessions', () => {
  it('echoes a command round trip and starts with `connected`', async () => {
    const { sessionId, cols, rows } = await fx.manager.create({ cwd: fx.work });
    expect([cols, rows]).toEqual([80, 24]);
    const client = attach(fx.manager, sessionId, 0);
    expect(client.events[0]?.payload).toEqual({ type: 'connected' });
    fx.manager.write(sessionId, 'echo chamber-$((40+2)); pwd\r');
    await waitFor(() => client.text().includes('chamber-42'), 'echo');
    await waitFor(() => client.text().includes(fx.work), 'pwd');
    fx.manager.close(sessionId);
  });

  it('runs the shell in cwd with TERM, HOME and a UTF-8 locale', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const client = attach(fx.manager, sessionId, 0);
    fx.manager.write(sessionId, 'echo "[$TERM|$COLORTERM|$HOME|$LANG]"\r');
    await waitFor(() => client.text().includes(`[xterm-256color|truecolor|${fx.home}|C.UTF-8]`), 'env');
    fx.manager.close(sessionId);
  });

  it('resizes: `tput cols` and `tput lines` see the new size', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work, cols: 100, rows: 30 });
    const client = attach(fx.manager, sessionId, 0);
    fx.manager.write(sessionId, 'echo "size=$(tput cols)x$(tput lines)"\r');
    await waitFor(() => client.text().includes('size=100x30'), 'initial size');
    expect(fx.manager.resize(sessionId, 123, 41)).toEqual({ cols: 123, rows: 41 });
    fx.manager.write(sessionId, 'echo "size=$(tput cols)x$(tput lines)"\r');
    await waitFor(() => client.text().includes('size=123x41'), 'resized');
    expect(() => fx.manager.resize(sessionId, undefined, 41)).toThrow('cols and rows are required');
    fx.manager.close(sessionId);
  });

  it('close hangs up every process of the session, foreground and background, and reports SIGHUP', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const client = attach(fx.manager, sessionId, 0);
    fx.manager.write(sessionId, 'sleep 1001 & sleep 1002\r');
    await waitFor(() => pidsMatching('sleep 1001').length > 0 && pidsMatching('sleep 1002').length > 0, 'sleeps');
    fx.manager.close(sessionId);
    await waitFor(() => pidsMatching('sleep 1001').length === 0 && pidsMatching('sleep 1002').length === 0, 'gone');
    await waitFor(() => client.ended, 'exit');
    expect(client.exit()).toEqual({ type: 'exit', exitCode: 0, signal: 1 });
    // Closed sessions are gone for every command, as in the reference.
    expect(await refusal(() => fx.manager.write(sessionId, 'x'))).toEqual({
      status: 404,
      message: 'Terminal session not found',
    });
    expect(await refusal(() => fx.manager.resize(sessionId, 80, 24))).toEqual({
      status: 404,
      message: 'Terminal session not found',
    });
    expect(await refusal(() => fx.manager.close(sessionId))).toEqual({
      status: 404,
      message: 'Terminal session not found',
    });
  });

  it('reports the exit code, and the signal that killed the shell', async () => {
    const a = await fx.manager.create({ cwd: fx.work });
    const b = await fx.manager.create({ cwd: fx.work });
    const exited = attach(fx.manager, a.sessionId, 0);
    const killed = attach(fx.manager, b.sessionId, 0);
    fx.manager.write(a.sessionId, 'exit 7\r');
    fx.manager.write(b.sessionId, 'kill -KILL $$\r');
    await waitFor(() => exited.ended && killed.ended, 'both exits');
    expect(exited.exit()).toEqual({ type: 'exit', exitCode: 7, signal: 0 });
    expect(killed.exit()).toEqual({ type: 'exit', exitCode: 0, signal: 9 });
    expect(exited.events.at(-1)?.payload.type).toBe('exit');
  });

  it('refuses the 21st session with 429 and the reference message, and accepts one again after a close', async () => {
    const ids: string[] = [];
    try {
      while (fx.manager.size < 20) ids.push((await fx.manager.create({ cwd: fx.work })).sessionId);
      expect(await refusal(fx.manager.create({ cwd: fx.work }))).toEqual({
        status: 429,
        message: 'Maximum terminal sessions reached',
      });
      // Checked before the body, as the reference does.
      expect(await refusal(fx.manager.create({}))).toMatchObject({ status: 429 });
      fx.manager.close(ids.pop() as string);
      ids.push((await fx.manager.create({ cwd: fx.work })).sessionId);
    } finally {
      for (const id of ids) fx.manager.close(id);
    }
  });

  it('validates cwd: required, missing, a file, outside the sandbox', async () => {
    fs.writeFileSync(path.join(fx.work, 'file.txt'), 'x');
    expect(await refusal(fx.manager.create({}))).toEqual({ status: 400, message: 'cwd is required' });
    expect(await refusal(fx.manager.create({ cwd: '  ' }))).toEqual({
      status: 400,
      message: 'Invalid working directory',
    });
    expect(await refusal(fx.manager.create({ cwd: path.join(fx.work, 'missing') }))).toEqual({
      status: 400,
      message: 'Invalid working directory',
    });
    expect(await refusal(fx.manager.create({ cwd: path.join(fx.work, 'file.txt') }))).toEqual({
      status: 400,
      message: 'Invalid working directory',
    });
    const confined = new TerminalManager({
      sandbox: new Sandbox({
        policy: { mode: 'roots', roots: [fx.work] },
        homeDir: fx.home,
        cwd: fx.work,
        settingsRoots: async () => [],
      }),
      homeDir: fx.home,
      logger: silentLogger,
      shell: '/bin/bash',
      env: shellEnv(fx.home),
    });
    expect(await refusal(confined.create({ cwd: fx.home }))).toEqual({
      status: 403,
      message: 'Access to directory denied',
    });
    const inside = await confined.create({ cwd: fx.work });
    expect(inside.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await confined.closeAll();
  });
});

describe('sessions outlive their clients', () => {
  it('keeps output produced before anyone attached (the first prompt is not lost)', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    fx.manager.write(sessionId, 'echo before-any-client\r');
    const session = fx.manager.session(sessionId)!;
    await waitFor(() => session.output.end > 40, 'output');
    await new Promise((r) => setTimeout(r, 100));
    const late = attach(fx.manager, sessionId, 0);
    await waitFor(() => late.text().includes('before-any-client'), 'replay');
    fx.manager.close(sessionId);
  });

  it('replays exactly the missed output on reconnect: no loss, no duplication', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const witness = attach(fx.manager, sessionId, 0);
    const first = attach(fx.manager, sessionId, 0);
    fx.manager.write(sessionId, 'echo one-$((1+1))\r');
    await waitFor(() => first.text().includes('one-2'), 'first output');
    const seen = first.position();
    first.subscription.close();
    fx.manager.write(sessionId, "seq -f 'missed-%05g' 1 3000; echo done-$((2+2))\r");
    await waitFor(() => witness.text().includes('done-4'), 'missed output');
    const again = attach(fx.manager, sessionId, seen);
    expect(again.events[0]?.payload).toEqual({ type: 'connected' });
    await waitFor(() => again.position() === witness.position(), 'caught up');
    const all = witness.text();
    // The witness's text from `seen` on, character for character.
    expect(first.text() + again.text()).toBe(all);
    expect(again.text()).toContain('missed-03000');
    // A client that names no position gets only what no client has received (reference clients reconnect so).
    const fresh = attach(fx.manager, sessionId);
    expect(fresh.text()).toBe('');
    fx.manager.close(sessionId);
  });

  it('gives a client that comes back after the shell exited the rest of the output, then exit', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const client = attach(fx.manager, sessionId, 0);
    fx.manager.write(sessionId, 'echo almost-$((3*3))\r');
    await waitFor(() => client.text().includes('almost-9'), 'output');
    const seen = client.position();
    client.subscription.close();
    fx.manager.write(sessionId, 'echo last-words; exit 3\r');
    await fx.manager.session(sessionId)!.exited();
    const back = attach(fx.manager, sessionId, seen);
    expect(back.text()).toContain('last-words');
    expect(back.events.at(-1)?.payload).toEqual({ type: 'exit', exitCode: 3, signal: 0 });
    expect(back.ended).toBe(true);
  });

  it('gives a client resuming from before the kept output exactly what is kept, once, at its positions', async () => {
    // A 16 000-character log and 65 kB of output: most of it is evicted before anyone asks. Batches
    // of at most 1 000 characters plus one PTY read (≤ 4 KiB) are each smaller than the log, so the
    // witness attached from the start is sent every character before it is evicted.
    const small = terminalFixture({ limits: { bufferChars: 16_000, maxEventChars: 1_000 } });
    try {
      const { sessionId } = await small.manager.create({ cwd: small.work });
      const session = small.manager.session(sessionId)!;
      const witness = attach(small.manager, sessionId, 0);
      small.manager.write(sessionId, "seq -f 'evicted-%05g' 1 5000; exit\r");
      // After the exit nothing is appended any more: the log below is final.
      await session.exited();
      const { start, end } = session.output;
      expect(start).toBeGreaterThan(0);
      expect(end - start).toBe(16_000);
      const all = witness.text();
      expect(all).toHaveLength(end);

      const late = attach(small.manager, sessionId, 0);
      expect(late.events[0]?.payload).toEqual({ type: 'connected' });
      expect(late.events.at(-1)?.payload).toEqual({ type: 'exit', exitCode: 0, signal: 0 });
      expect(late.text()).toBe(all.slice(start));
      // Every data event is positioned where its text ends in the session's stream.
      let at = start;
      for (const { payload, position } of late.events) {
        if (payload.type !== 'data') continue;
        at += payload.data.length;
        expect(position).toBe(at);
      }
      expect(late.position()).toBe(end);
    } finally {
      await small.cleanup();
    }
  });

  it('decodes UTF-8 split across reads: no replacement characters', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const client = attach(fx.manager, sessionId, 0);
    fx.manager.write(
      sessionId,
      "echo from-$((1+1)); yes '€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€😀' | head -n 3000; echo to-$((5+5))\r",
    );
    await waitFor(() => client.text().includes('to-10'), 'output', 30_000);
    const all = client.text();
    // Only the command's output, not the echo of the command line.
    const text = all.slice(all.indexOf('from-2'), all.indexOf('to-10'));
    expect(all).not.toContain('\uFFFD');
    expect(text.match(/€/g)?.length).toBe(31 * 3000);
    expect(text.match(/😀/g)?.length).toBe(3000);
    fx.manager.close(sessionId);
  });
});

describe('idle sessions', () => {
  it('closes sessions idle for 30 minutes with no client (with an injectable clock), keeps attached ones', async () => {
    let now = 1_000_000;
    const idle = terminalFixture({ now: () => now });
    try {
      const lonely = await idle.manager.create({ cwd: idle.work });
      const watched = await idle.manager.create({ cwd: idle.work });
      const client = attach(idle.manager, watched.sessionId, 0);
      now += 29 * 60_000;
      expect(idle.manager.sweep()).toEqual([]);
      now += 2 * 60_000;
      expect(idle.manager.sweep()).toEqual([lonely.sessionId]);
      expect(await refusal(() => idle.manager.write(lonely.sessionId, 'x'))).toMatchObject({ status: 404 });
      idle.manager.write(watched.sessionId, 'echo still-here\r');
      await waitFor(() => client.text().includes('still-here'), 'attached session alive');
      // Exited sessions stay replayable for 5 minutes, then are forgotten.
      await idle.manager.session(lonely.sessionId)!.exited();
      expect(attach(idle.manager, lonely.sessionId, 0).exit()).toEqual({ type: 'exit', exitCode: 0, signal: 1 });
      now += 6 * 60_000;
      idle.manager.sweep();
      expect(await refusal(() => attach(idle.manager, lonely.sessionId, 0))).toEqual({
        status: 404,
        message: 'Terminal session not found',
      });
    } finally {
      await idle.cleanup();
    }
  });
});

describe('no tail loss at exit', () => {
  it('delivers the whole tail before `exit` to a client that acknowledges a second late', async () => {
    // A 64 Ki window (EVENT_FLOW's is 1 Mi) keeps the flood small, and events of at most 1 000
    // characters make the client full within a few KiB of it. The output (~73 kB) is 3-8 kB more
    // than what is read by then: that rest fits in the kernel's PTY buffers (8 KiB + 4 KiB), so the
    // shell finishes and exits while the PTY is paused for this client, and node-pty drops its
    // socket (with what the kernel still holds: the tail) 200 ms after the exit, long before the
    // client acknowledges. Only the exit drain reads it.
    const slow = terminalFixture({
      limits: { highWatermark: 64 * 1024, lowWatermark: 32 * 1024, maxEventChars: 1_000 },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const { sessionId } = await slow.manager.create({ cwd: slow.work });
      const session = slow.manager.session(sessionId)!;
      const events: TerminalServerEvent[] = [];
      let position = 0;
      let ended = false;
      const subscription: EventSubscription = slow.manager.subscribe(
        sessionId,
        { since: 0, acknowledges: true },
        {
          send(payload, at) {
            events.push(payload as TerminalServerEvent);
            if (at === undefined) return;
            position = at;
            // Everything received is acknowledged one second after output stops coming.
            clearTimeout(timer);
            timer = setTimeout(() => subscription.ack(position), 1_000);
          },
          end() {
            ended = true;
          },
        },
      );
      // The scenario did happen: the shell exited while this client still held output back.
      let heldAtExit = false;
      void session.exited().then(() => (heldAtExit = position < session.output.end));
      slow.manager.write(sessionId, "head -c 71000 /dev/zero | tr '\\0' x; seq -f 'tail-%04g' 1 200; exit\r");
      await waitFor(() => ended, 'exit', 30_000);
      const text = events.map((e) => (e.type === 'data' ? e.data : '')).join('');
      expect(text).toContain(
        Array.from({ length: 200 }, (_, i) => `tail-${String(i + 1).padStart(4, '0')}`).join('\r\n'),
      );
      expect(text).toContain('x'.repeat(71_000));
      expect(heldAtExit).toBe(true);
      expect(events.at(-1)).toEqual({ type: 'exit', exitCode: 0, signal: 0 });
    } finally {
      clearTimeout(timer);
      await slow.cleanup();
    }
  });

  it('delivers every byte of a 20 KB burst followed by exit, 100 runs out of 100', async () => {
    const runs = 100;
    const lines = 1600; // 'tail-000001\r\n' × 1600 = 20 800 bytes
    const expected = Array.from({ length: lines }, (_, i) => `tail-${String(i + 1).padStart(6, '0')}`).join('\r\n');
    let complete = 0;
    const run = async (): Promise<void> => {
      const { sessionId } = await fx.manager.create({ cwd: fx.work });
      const client = attach(fx.manager, sessionId, 0);
      fx.manager.write(sessionId, `seq -f 'tail-%06g' 1 ${lines}; exit\r`);
      await waitFor(() => client.ended, 'exit', 30_000);
      const text = client.text();
      const start = text.indexOf('tail-000001');
      if (
        start !== -1 &&
        text.slice(start, start + expected.length) === expected &&
        client.events.at(-1)?.payload.type === 'exit'
      ) {
        complete++;
      }
    };
    const queue = Array.from({ length: runs }, () => run);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let job = queue.pop(); job; job = queue.pop()) await job();
      }),
    );
    expect(complete).toBe(runs);
  }, 180_000);
});

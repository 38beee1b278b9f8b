/**
 * Input to a program that is not reading it: node-pty's own write retried EAGAIN inside the write
 * call, so one paste froze the whole process (every request, every terminal) at full CPU until
 * the program read. Real PTYs; `stty raw` makes the kernel push back instead of dropping input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PTY_BUSY, PTY_MAX_PENDING_INPUT, spawnPty, type Pty, type PtyExit } from '../../src/terminal/pty.js';

const temps: string[] = [];
const ptys: Pty[] = [];
afterEach(() => {
  for (const pty of ptys.splice(0)) pty.kill();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function start(script: string): { pty: Pty; exited: Promise<PtyExit>; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-pty-input-'));
  temps.push(dir);
  let onExit: (exit: PtyExit) => void = () => {};
  const exited = new Promise<PtyExit>((resolve) => (onExit = resolve));
  const pty = spawnPty(
    {
      file: '/bin/sh',
      args: ['-c', script],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      cols: 80,
      rows: 24,
    },
    { onData: () => {}, onExit },
  );
  ptys.push(pty);
  return { pty, exited, dir };
}

/** Resolves once `file` holds `bytes` bytes; bounded by the test's timeout. */
async function sizeReached(file: string, bytes: number): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${file} never reached ${bytes} bytes`);
}

describe.skipIf(process.platform === 'win32')('PTY input', () => {
  it('a paste the program does not read yet blocks nothing, and arrives whole and in order later', async () => {
    const total = 600_000;
    const { pty, exited, dir } = start(`stty raw -echo; sleep 2; head -c ${total} > out`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // `stty raw` has run
    const chunks = 'abcdef'.split('').map((letter) => letter.repeat(total / 6));
    // The event loop keeps turning while the program sleeps: a short timer set now fires long
    // before the program exits, and the writes return while it still sleeps (`out` is made by
    // the redirection after the sleep). With node-pty's own write they returned once it had read.
    const order: string[] = [];
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push('timer');
        resolve();
      }, 100),
    );
    for (const chunk of chunks) pty.write(chunk);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    await Promise.all([timer, exited.then(() => void order.push('exit'))]);
    expect(order).toEqual(['timer', 'exit']);
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe(chunks.join(''));
  });

  it(`refuses input past ${PTY_MAX_PENDING_INPUT} waiting bytes with "${PTY_BUSY}", and delivers what it took`, async () => {
    const { pty, dir } = start('stty raw -echo; sleep 1; exec cat > out');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const chunk = 'x'.repeat(100_000);
    let accepted = 0;
    let refusal: unknown;
    for (let i = 0; i < 100 && refusal === undefined; i++) {
      try {
        pty.write(chunk);
        accepted += chunk.length;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toMatchObject({ status: 503, message: PTY_BUSY });
    expect(accepted).toBeGreaterThanOrEqual(PTY_MAX_PENDING_INPUT - chunk.length);
    expect(accepted).toBeLessThanOrEqual(PTY_MAX_PENDING_INPUT + 1024 * 1024); // what the kernel took at once
    await sizeReached(path.join(dir, 'out'), accepted);
    // Drained: input is taken again.
    pty.write('y'.repeat(10));
    await sizeReached(path.join(dir, 'out'), accepted + 10);
    expect(fs.statSync(path.join(dir, 'out')).size).toBe(accepted + 10);
  });
});

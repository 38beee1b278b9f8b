/**
 * A runtime behind the IPC host in its own process, speaking JSON frames, one per line, over
 * stdin/stdout: the real serialisation boundary the parity suite drives the desktop transport
 * through. Options come as JSON in CHAMBER_IPC_OPTIONS (homeDir, dataDir, cwd, sandbox).
 */
import net from 'node:net';
import readline from 'node:readline';
import { IpcHost } from '@chamber/desktop';
import { createRuntime, type RuntimeOptions } from '@chamber/runtime';

// Not `process.stdout`: Node writes to a pipe synchronously on Linux, so a frame bigger than the
// pipe's buffer would block this whole process (the PTY reads too) until the parent reads it. A
// socket over the same descriptor writes asynchronously, as the desktop host's pipe does.
const out = new net.Socket({ fd: 1, readable: false, writable: true });
const options = JSON.parse(process.env.CHAMBER_IPC_OPTIONS ?? '{}') as RuntimeOptions;
const runtime = createRuntime(options);
const host = new IpcHost({
  runtime,
  send: (frame) => {
    out.write(`${JSON.stringify(frame)}\n`);
  },
});

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => host.receiveText(line));
lines.on('close', () => {
  host.close();
  void runtime.close().then(() => out.end(() => process.exit(0)));
});
out.write(`${JSON.stringify({ event: 'ipc://ready', payload: null })}\n`);

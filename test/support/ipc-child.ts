/**
 * A runtime behind the IPC host in its own process, speaking JSON frames, one per line, over
 * stdin/stdout: the real serialisation boundary the parity suite drives the desktop transport
 * through. Options come as JSON in CHAMBER_IPC_OPTIONS (homeDir, dataDir, cwd, sandbox).
 */
import readline from 'node:readline';
import { createRuntime, IpcHost, type RuntimeOptions } from '@chamber/runtime';

const options = JSON.parse(process.env.CHAMBER_IPC_OPTIONS ?? '{}') as RuntimeOptions;
const runtime = createRuntime(options);
const host = new IpcHost({
  runtime,
  send: (frame) => {
    process.stdout.write(`${JSON.stringify(frame)}\n`);
  },
});

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => host.receiveText(line));
lines.on('close', () => {
  host.close();
  void runtime.close().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ event: 'ipc://ready', payload: null })}\n`);

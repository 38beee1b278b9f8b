/**
 * Fake OS programs for the desktop-only commands: a `zenity` (and `kdialog`, `osascript`) that
 * answers what the test wrote in `picker-answer`, and a `notify-send` that prints an id. Each
 * records its arguments in `calls.jsonl`. They sit in a directory the runtime finds first on
 * PATH, exactly as it finds the real ones.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface FakeCall {
  tool: string;
  args: string[];
  pid: number;
}

export interface FakeOs {
  /** Directory holding the fake programs (put it first on PATH). */
  binDir: string;
  /** PATH with `binDir` first. */
  path: string;
  /** What the next picker invocations answer: a path, 'cancel', 'hang' or `fail:<stderr line>`. */
  setPickerAnswer(answer: string): void;
  /** Make notify-send fail with this stderr line ('' to succeed again). */
  setNotifyFailure(stderrLine: string): void;
  /** Every recorded invocation, oldest first. */
  calls(): FakeCall[];
}

function fakeProgram(dir: string, tool: string, body: string): void {
  const file = path.join(dir, 'bin', tool);
  fs.writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const dir = ${JSON.stringify(dir)};
const args = process.argv.slice(2);
fs.appendFileSync(dir + '/calls.jsonl', JSON.stringify({ tool: ${JSON.stringify(tool)}, args, pid: process.pid }) + '\\n');
${body}
`,
    { mode: 0o755 },
  );
}

const PICKER = `
let answer = 'cancel';
try { answer = fs.readFileSync(dir + '/picker-answer', 'utf8'); } catch {}
if (answer === 'cancel') process.exit(1);
if (answer === 'hang') setInterval(() => {}, 1000);
else {
if (answer.startsWith('fail:')) { process.stderr.write(answer.slice(5) + '\\n'); process.exit(5); }
process.stdout.write(answer + '\\n');
}
`;

const NOTIFY_SEND = `
let failure = '';
try { failure = fs.readFileSync(dir + '/notify-failure', 'utf8'); } catch {}
if (failure) { process.stderr.write(failure + '\\n'); process.exit(1); }
let id = 0;
try { id = Number(fs.readFileSync(dir + '/last-id', 'utf8')); } catch {}
const replace = args.find((a) => a.startsWith('--replace-id='));
const next = replace ? Number(replace.split('=')[1]) : id + 1;
fs.writeFileSync(dir + '/last-id', String(Math.max(id, next)));
if (args.includes('--print-id')) process.stdout.write(next + '\\n');
`;

export function installFakeOs(dir: string, basePath = process.env.PATH ?? ''): FakeOs {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fakeProgram(dir, 'zenity', PICKER);
  fakeProgram(dir, 'notify-send', NOTIFY_SEND);
  const binDir = path.join(dir, 'bin');
  return {
    binDir,
    path: `${binDir}${path.delimiter}${basePath}`,
    setPickerAnswer: (answer) => fs.writeFileSync(path.join(dir, 'picker-answer'), answer),
    setNotifyFailure: (line) => fs.writeFileSync(path.join(dir, 'notify-failure'), line),
    calls() {
      try {
        return fs
          .readFileSync(path.join(dir, 'calls.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as FakeCall);
      } catch {
        return [];
      }
    },
  };
}

/** Install a fake program of another name (kdialog, osascript) with the picker's behaviour. */
export function installFakePicker(dir: string, tool: string): void {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fakeProgram(dir, tool, PICKER);
}

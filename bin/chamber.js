#!/usr/bin/env node
// The `chamber` command. Runs the compiled server (`npm run build` first).
import { main } from '../packages/server/dist/index.js';

const result = await main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
  handleSignals: true,
});
if (result.exitCode !== null) process.exitCode = result.exitCode;

#!/usr/bin/env node
// The `chamber` command. Runs the compiled server (`npm run build` first).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let main;
try {
  ({ main } = await import('../packages/server/dist/index.js'));
} catch (error) {
  // Before the first build the compiled packages are missing: say what to do, not a stack.
  // Only a missing file of ours (packages/*/dist) means that; anything else is a real failure.
  const missing =
    error?.code === 'ERR_MODULE_NOT_FOUND' &&
    /([\\/]packages[\\/]|[\\/]@chamber[\\/])[^\\/]+[\\/]dist[\\/]/.test(error.message);
  if (!missing) throw error;
  const file = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
  process.stderr.write(
    `chamber: the compiled server is missing${file ? ` (${path.relative(repo, file)})` : ''}.\n` +
      `Run \`npm run build\` first (in ${repo}), or \`npm start\`, which builds and starts it.\n`,
  );
  process.exit(1);
}

const result = await main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
  handleSignals: true,
});
if (result.exitCode !== null) process.exitCode = result.exitCode;

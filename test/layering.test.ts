/** The layering rule of eslint.config.js, checked on sample sources so it cannot silently rot. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

const eslint = new ESLint({ cwd: repoRoot });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('fails when contract imports anything', async () => {
    expect(
      await importErrors('packages/contract/src/sample.ts', "import fs from 'node:fs';\nexport const x = fs;\n"),
    ).toHaveLength(1);
    expect(
      await importErrors('packages/contract/src/sample.ts', "import x from 'fuzzysort';\nexport const y = x;\n"),
    ).toHaveLength(1);
  });

  it('lets contract import its own files', async () => {
    expect(
      await importErrors(
        'packages/contract/src/sample.ts',
        "import { RuntimeError } from './errors.js';\nexport const y = RuntimeError;\n",
      ),
    ).toEqual([]);
  });

  it('fails when client imports a Node builtin', async () => {
    expect(
      await importErrors(
        'packages/client/src/sample.ts',
        "import { readFile } from 'fs';\nexport const y = readFile;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors('packages/client/src/sample.ts', "import path from 'node:path';\nexport const y = path;\n"),
    ).toHaveLength(1);
  });

  it('fails when client or ui import the runtime, the server or the desktop host', async () => {
    expect(
      await importErrors(
        'packages/client/src/sample.ts',
        "import { createRuntime } from '@chamber/runtime';\nexport const y = createRuntime;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/ui/src/sample.tsx',
        "import { createServer } from '@chamber/server';\nexport const y = createServer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/ui/src/sample.ts',
        "import x from '../../desktop/src/host.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
  });

  it('lets client import the contract', async () => {
    expect(
      await importErrors(
        'packages/client/src/sample.ts',
        "import { commands } from '@chamber/contract';\nexport const y = commands;\n",
      ),
    ).toEqual([]);
  });
});

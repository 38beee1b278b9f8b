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

  it('fails when runtime imports the server, the desktop host or the browser side', async () => {
    expect(
      await importErrors(
        'packages/runtime/src/sample.ts',
        "import { createServer } from '@chamber/server';\nexport const y = createServer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/runtime/src/git/sample.ts',
        "import { runDesktop } from '@chamber/desktop';\nexport const y = runDesktop;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/runtime/src/sample.ts',
        "import x from '../../desktop/src/launch-desktop.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/runtime/src/sample.ts',
        "import { installRuntimeAPIs } from '@chamber/client';\nexport const y = installRuntimeAPIs;\n",
      ),
    ).toHaveLength(1);
  });

  it('fails when runtime imports node:http or https (it reaches OpenCode with undici)', async () => {
    for (const name of ['node:http', 'http', 'node:https', 'https']) {
      expect(
        await importErrors(
          'packages/runtime/src/opencode/sample.ts',
          `import m from '${name}';\nexport const y = m;\n`,
        ),
      ).toHaveLength(1);
    }
  });

  it('lets runtime import the contract, Node builtins other than HTTP, and undici', async () => {
    expect(
      await importErrors(
        'packages/runtime/src/sample.ts',
        "import fs from 'node:fs';\nimport { Pool } from 'undici';\nimport { commands } from '@chamber/contract';\nexport const y = [fs, Pool, commands];\n",
      ),
    ).toEqual([]);
  });

  it('fails when the server imports the desktop host or the browser side', async () => {
    expect(
      await importErrors(
        'packages/server/src/sample.ts',
        "import { runDesktop } from '@chamber/desktop';\nexport const y = runDesktop;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/server/src/sample.ts',
        "import x from '../../desktop/src/launch-desktop.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/server/src/sample.ts',
        "import { installRuntimeAPIs } from '@chamber/client';\nexport const y = installRuntimeAPIs;\n",
      ),
    ).toHaveLength(1);
  });

  it('lets the server import the runtime, node:http, and load the desktop host by a name in a variable', async () => {
    expect(
      await importErrors(
        'packages/server/src/sample.ts',
        "import http from 'node:http';\nimport { createRuntime } from '@chamber/runtime';\n" +
          "const DESKTOP_MODULE = '@chamber/desktop';\nexport const y = [http, createRuntime, () => import(DESKTOP_MODULE)];\n",
      ),
    ).toEqual([]);
  });

  it('fails when the desktop host imports the server or the browser side', async () => {
    expect(
      await importErrors(
        'packages/desktop/src/sample.ts',
        "import { createServer } from '@chamber/server';\nexport const y = createServer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/desktop/src/window/sample.ts',
        "import x from '../../../server/src/app.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/desktop/src/sample.ts',
        "import { installRuntimeAPIs } from '@chamber/client';\nexport const y = installRuntimeAPIs;\n",
      ),
    ).toHaveLength(1);
  });

  it('fails when client imports the ui', async () => {
    expect(
      await importErrors('packages/client/src/sample.ts', "import x from '@chamber/ui';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'packages/client/src/sample.ts',
        "import x from '../../ui/src/main.js';\nexport const y = x;\n",
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

/**
 * Parity cases of the git commands, and the fixture hook that gives every fixture copy its git
 * repositories (test/support/git-repos.ts) and the runtime a local AI endpoint. Cases are split
 * by area; their order matters (inspection first, then writes on the same repositories).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startAiServer, type AiServer } from '../support/ai-server.js';
import { buildGitRepos, pinnedGitEnv } from '../support/git-repos.js';
import type { FixtureHook, ParityCase } from './case.js';
import { gitAiCases } from './git-ai.cases.js';
import { gitHistoryCases } from './git-history.cases.js';
import { gitIdentityCases } from './git-identity.cases.js';
import { gitInspectCases } from './git-inspect.cases.js';
import { gitRemoteCases } from './git-remote.cases.js';
import { gitWriteCases } from './git-write.cases.js';

/** The 50 MB file is only built for the open mode: one pair of copies proves the bound. */
const BIG_FILE_BYTES = 50 * 1024 * 1024;

let aiServer: AiServer | undefined;
// The promise, not the server: every side's hook runs at once, and they must share one server (its
// URL appears in the answers both transports must agree on).
let aiServerStarting: Promise<AiServer> | undefined;

export const gitFixtureHook: FixtureHook = {
  async prepare(fixture, mode) {
    aiServer = await (aiServerStarting ??= startAiServer());
    const root = path.join(fixture.home, 'git');
    buildGitRepos(root, fixture.home, mode === 'open' ? { bigFileBytes: BIG_FILE_BYTES } : {});
    // The home is listed by files cases: the global config both copies got must look the same.
    const fixed = new Date('2025-01-02T03:04:05.000Z');
    fs.utimesSync(path.join(fixture.home, '.gitconfig'), fixed, fixed);
    return {
      roots: [root],
      runtime: {
        git: {
          env: pinnedGitEnv(fixture.home),
          commitMessage: { endpoint: aiServer.endpoint, model: 'test-model', timeoutMs: 10_000 },
        },
      },
    };
  },
  async close() {
    await aiServer?.close();
    aiServer = undefined;
    aiServerStarting = undefined;
  },
};

export const gitCases: ParityCase[] = [
  ...gitIdentityCases,
  ...gitInspectCases,
  ...gitHistoryCases,
  ...gitAiCases,
  ...gitWriteCases,
  ...gitRemoteCases,
];

/** Every parity case, one file per subsystem. A command of the table without a case fails the suite. */
import type { FixtureHook, ParityCase } from './case.js';
import { fileCases } from './files.cases.js';
import { fileReadCases, filesReadFixtureHook } from './files-read.cases.js';
import { gitCases, gitFixtureHook } from './git.cases.js';
import { settingsCases } from './settings.cases.js';
import { terminalCases } from './terminal.cases.js';
import { desktopOnlyCases } from './desktop-only.cases.js';
import { opencodeConfigCases, opencodeConfigFixtureHook } from './opencode-config.cases.js';
import { opencodeCases } from './opencode.cases.js';
import { promptCases, promptsFixtureHook } from './prompts.cases.js';

export type { FixtureHook, Mode, Outcome, ParityCase } from './case.js';

export const parityCases: ParityCase[] = [
  ...fileCases,
  ...fileReadCases,
  ...settingsCases,
  ...gitCases,
  ...terminalCases,
  ...desktopOnlyCases,
  ...opencodeConfigCases,
  ...opencodeCases,
  ...promptCases,
];

/** Subsystems that add to the workspace fixture (repositories, servers, roots). */
export const fixtureHooks: FixtureHook[] = [
  filesReadFixtureHook,
  gitFixtureHook,
  opencodeConfigFixtureHook,
  promptsFixtureHook,
];

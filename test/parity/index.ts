/** Every parity case, one file per subsystem. A command of the table without a case fails the suite. */
import type { ParityCase } from './case.js';
import { fileCases } from './files.cases.js';
import { settingsCases } from './settings.cases.js';
import { desktopOnlyCases } from './desktop-only.cases.js';

export type { Mode, Outcome, ParityCase } from './case.js';

export const parityCases: ParityCase[] = [...fileCases, ...settingsCases, ...desktopOnlyCases];

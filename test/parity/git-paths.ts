/** Where the git fixture repositories sit in a relativised fixture, and git's fixed messages. */
import { HOME } from './case.js';

export const GIT = `${HOME}/git`;
export const MAIN = `${GIT}/main`;
export const EMPTY = `${GIT}/empty`;
export const DETACHED = `${GIT}/detached`;
export const CONFLICT = `${GIT}/conflict`;
export const WT = `${GIT}/wt`;
export const WT_LINKED = `${GIT}/wt-linked`;
export const PUSHER = `${GIT}/pusher`;
export const CLASH = `${GIT}/clash`;
export const DIRTY = `${GIT}/dirty`;
export const SWITCH_LEAVE = `${GIT}/switch-leave`;
export const SWITCH_BRING = `${GIT}/switch-bring`;
export const SWITCH_CONFLICT = `${GIT}/switch-conflict`;
export const CONCURRENT = `${GIT}/concurrent`;
export const BIG = `${GIT}/big`;
export const PLAIN = `${GIT}/plain`;
export const MISSING_DIR = `${GIT}/does-not-exist`;

export const NOT_A_REPO = 'fatal: not a git repository (or any of the parent directories): .git\n';
export const MISSING = 'Cannot use simple-git on a directory that does not exist';
export const DIRECTORY_REQUIRED = 'directory parameter is required';

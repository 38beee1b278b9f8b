/**
 * OpenCode's global configuration as the config commands see it: agents and commands, each a
 * markdown file and/or a section of opencode.json in one config directory.
 */
import { ConfigEntries, type EntryStore } from './entries.js';
import { OpenCodeConfigFile } from './config-file.js';
import { AGENT, COMMAND } from './kinds.js';

export { AGENT, COMMAND, mutationMessage, type EntryKind, type MutationVerb } from './kinds.js';
export type { ConfigEntries } from './entries.js';

export class OpenCodeConfig {
  readonly configFile: OpenCodeConfigFile;
  readonly agents: ConfigEntries;
  readonly commands: ConfigEntries;
  // Agents and commands share opencode.json, so one queue serialises both.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly configDir: string) {
    this.configFile = new OpenCodeConfigFile(configDir);
    const store: EntryStore = {
      configDir,
      configFile: this.configFile,
      exclusive: (task) => this.#exclusive(task),
    };
    this.agents = new ConfigEntries(AGENT, store);
    this.commands = new ConfigEntries(COMMAND, store);
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

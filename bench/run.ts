/**
 * `npm run bench`: printed figures, each with a baseline measured in the same run. Not a test:
 * nothing here passes or fails on time. Pass section names to run a subset: invoke, list, search, git,
 * terminal, tree, desktop, ui, agent, viewer, history, freshness, chat.
 */
import { benchGit } from './git.js';
import { benchInvoke } from './rpc.js';
import { benchList } from './list.js';
import { benchSearch } from './search.js';
import { benchTerminal } from './terminal.js';
import { benchTree } from './tree.js';
import { benchDesktop } from './desktop.js';
import { benchUi } from './ui.js';
import { benchAgent } from './agent.js';
import { benchChat } from './chat.js';
import { benchFreshness, benchHistory, benchViewer } from './views.js';

const sections: Record<string, (log: (line: string) => void) => Promise<void>> = {
  invoke: benchInvoke,
  list: benchList,
  search: benchSearch,
  git: benchGit,
  terminal: benchTerminal,
  tree: benchTree,
  desktop: benchDesktop,
  ui: benchUi,
  agent: benchAgent,
  viewer: benchViewer,
  history: benchHistory,
  freshness: benchFreshness,
  chat: benchChat,
};

const wanted = process.argv.slice(2).filter((name) => !name.startsWith('-'));
const log = (line: string) => console.log(line);
console.log(`Chamber benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run(log);
}
process.exit(0);

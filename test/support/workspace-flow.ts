/**
 * The workspace UI's first session, as steps any host can run (a web page or the desktop
 * window, see ui-page.ts): choose the workspace, browse the tree, quick-open a deep file, switch
 * the theme, commit a change from the git views, run a command in the terminal panel, and meet a
 * failing call. Each step waits for what the person would see and returns
 * nothing; the test around it checks what landed on disk.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from './ui.js';
import { byTestId, css, until, waitForSelector, type UiPage } from './ui-page.js';

export interface FlowTree {
  home: string;
  work: string;
  /** A directory the runtime refuses to list (outside every root or approval). */
  outside: string;
  deepTarget: string;
}

/** The tree the flow walks, built under `base` (home, a workspace with a deep file, an outside dir). */
export function buildFlowTree(base: string): FlowTree {
  const home = `${base}/home`;
  const work = `${home}/work`;
  const outside = `${base}/outside`;
  const deepTarget = `${work}/a/b/c/d/e/f/g/h/deep-target.txt`;
  writeFile(`${work}/README.md`, '# work\n');
  writeFile(`${work}/src/index.ts`, 'export {};\n');
  writeFile(`${work}/src/util/strings.ts`, 'export {};\n');
  writeFile(deepTarget, 'deep');
  writeFile(`${home}/other/notes.md`);
  writeFile(`${outside}/secret.txt`, 'outside');
  return { home, work, outside, deepTarget };
}

export const treeRow = (filePath: string) => `${byTestId('file-tree')} [role=treeitem][data-path=${css(filePath)}]`;

const attribute = (selector: string, name: string) =>
  `document.querySelector(${css(selector)})?.getAttribute(${css(name)}) ?? null`;

/** First start: the picker lists home; type-ahead to the workspace, enter it, open it. */
export async function chooseWorkspace(ui: UiPage, tree: FlowTree): Promise<void> {
  const list = byTestId('picker-list');
  await waitForSelector(ui, `${list} [data-path=${css(tree.work)}]`);
  await ui.evaluate(`document.querySelector(${css(list)}).focus()`);
  await ui.type('wo');
  await until(ui, attribute(`${list} [aria-selected=true]`, 'data-path'), (p) => p === tree.work, 'type-ahead');
  await ui.press('Enter');
  await until(ui, `document.querySelector(${css(byTestId('picker-path'))}).value`, (v) => v === tree.work);
  await ui.press('Control+Enter');
  await waitForSelector(ui, treeRow(`${tree.work}/README.md`));
}

/** With the picker showing: type a folder's path, go there, open it. */
export async function openWorkspaceAt(ui: UiPage, directory: string): Promise<void> {
  await ui.fill(byTestId('picker-path'), directory);
  await ui.press('Enter');
  const name = directory.split('/').pop();
  await until(ui, `document.querySelector(${css(byTestId('picker-open'))})?.textContent`, (t) => t === `Open ${name}`);
  await ui.click(byTestId('picker-open'));
  await until(
    ui,
    `document.querySelector(${css(byTestId('workspace-picker'))}) === null`,
    Boolean,
    'the picker closing',
  );
}

/** A folder is listed when expanded; the keyboard walks into a subfolder and back. */
export async function browseTree(ui: UiPage, tree: FlowTree): Promise<void> {
  const src = `${tree.work}/src`;
  await ui.click(treeRow(src));
  await waitForSelector(ui, treeRow(`${src}/index.ts`));
  await until(ui, attribute(treeRow(src), 'aria-expanded'), (v) => v === 'true', 'src expanded');
  await ui.press('ArrowDown');
  await ui.press('ArrowRight');
  await waitForSelector(ui, treeRow(`${src}/util/strings.ts`));
  await ui.press('ArrowDown');
  await until(ui, attribute(treeRow(`${src}/util/strings.ts`), 'aria-selected'), (v) => v === 'true');
  await until(ui, `document.querySelector(${css(byTestId('viewer-name'))})?.textContent`, (t) => t === 'strings.ts');
}

/** Ctrl+P, a few letters, Enter: the deep file is revealed and selected in the tree. */
export async function quickOpenDeepFile(ui: UiPage, tree: FlowTree): Promise<void> {
  await ui.press('Control+p');
  await waitForSelector(ui, byTestId('quick-open-input'));
  await ui.type('deeptarg');
  const first = byTestId('quick-open-item');
  await until(ui, attribute(first, 'data-path'), (p) => p === tree.deepTarget, 'the deep file first');
  await until<string[]>(
    ui,
    `[...document.querySelectorAll(${css(`${first} mark`)})].map((m) => m.textContent)`,
    (marks) => marks.join('|') === 'deep|targ',
    'the highlighted match',
  );
  await ui.press('Enter');
  await until(ui, attribute(treeRow(tree.deepTarget), 'aria-selected'), (v) => v === 'true', 'the revealed row');
  await until(
    ui,
    `document.querySelector(${css(byTestId('viewer-name'))})?.textContent`,
    (t) => t === 'deep-target.txt',
  );
}

/** Settings (Ctrl+,), the dark theme, and back. */
export async function switchToDarkTheme(ui: UiPage): Promise<void> {
  await ui.press('Control+,');
  await ui.click(`${byTestId('theme-choice')} [data-value=dark]`);
  await until(ui, 'document.documentElement.dataset.theme', (t) => t === 'dark', 'the dark theme');
  await ui.press('Escape');
  await until(ui, `document.querySelector(${css(byTestId('theme-choice'))}) === null`, Boolean, 'settings closed');
}

/** What the picker shows after a refused listing. */
export interface ShownRefusal {
  /** The runtime's message, in place. */
  message: string;
  /** The folder the whole picker shows (path field, breadcrumbs, Open button): the refused one. */
  pathField: string;
  openButton: string;
  openEnabled: boolean;
  /** Toasts about it (the refusal or the folder): none, the message is in place already. */
  toasts: number;
}

/** Ctrl+O and a path the runtime refuses: answers what the picker shows for that listing. */
export async function listOutsideDirectory(ui: UiPage, tree: FlowTree): Promise<ShownRefusal> {
  await ui.press('Control+o');
  const field = byTestId('picker-path');
  await ui.click(field);
  await ui.fill(field, tree.outside);
  await ui.press('Enter');
  const shown = await until<ShownRefusal | null>(
    ui,
    `(() => {
      const problem = document.querySelector(${css(byTestId('picker-problem'))});
      if (!problem) return null;
      const open = document.querySelector(${css(byTestId('picker-open'))});
      return {
        message: problem.querySelector('span')?.textContent ?? '',
        pathField: document.querySelector(${css(byTestId('picker-path'))})?.value ?? '',
        openButton: open?.textContent ?? '',
        openEnabled: open ? !open.disabled : false,
        toasts: [...document.querySelectorAll(${css(byTestId('toast'))})].filter((toast) =>
          (toast.textContent ?? '').includes(${css(tree.outside)}) || (toast.textContent ?? '').includes('denied'),
        ).length,
      };
    })()`,
    (value) => value !== null,
    'the refusal shown in the picker',
  );
  await ui.press('Escape');
  return shown!;
}

/** Make the workspace a repository with one commit, and give the home a git identity. */
export function initFlowRepo(tree: FlowTree): void {
  writeFile(`${tree.home}/.gitconfig`, '[user]\n\tname = Flow Person\n\temail = flow@example.com\n');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: tree.work, env: { ...process.env, HOME: tree.home }, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', 'README.md');
  git('commit', '-q', '-m', 'First commit');
}

/**
 * A file changed on disk shows up in Changes (Ctrl+Shift+G); its diff opens; a message and
 * Ctrl+Enter commit it; History lists the commit. Answers the subject git recorded.
 */
export async function commitAChange(ui: UiPage, tree: FlowTree): Promise<string> {
  writeFile(`${tree.work}/README.md`, '# work\nchanged on disk\n');
  await ui.press('Control+Shift+G');
  const row = `${byTestId('change-row')}[data-path="README.md"]`;
  await waitForSelector(ui, row);
  await ui.click(row);
  await until(
    ui,
    `[...document.querySelectorAll(${css(`${byTestId('diff-viewer')} [data-kind=add]`)})].map((l) => l.textContent).join('\\n')`,
    (text: string) => text.includes('changed on disk'),
    'the added line in the diff',
  );
  await ui.fill(byTestId('commit-message'), 'Commit from the flow');
  await ui.press('Control+Enter');
  await waitForSelector(ui, byTestId('git-clean'));
  await ui.click(`${byTestId('git-tabs')} [data-value=history]`);
  await until(
    ui,
    `[...document.querySelectorAll(${css(byTestId('commit-row'))})].map((r) => r.textContent).join('\\n')`,
    (text: string) => text.includes('Commit from the flow'),
    'the commit in History',
  );
  return execFileSync('git', ['log', '-1', '--format=%s'], { cwd: tree.work, encoding: 'utf8' }).trim();
}

/** The workspace's shell (the panel opens one) runs what is typed; answers the output line seen. */
export async function runInTerminal(ui: UiPage): Promise<string> {
  const pane = '[data-testid=terminal-pane]:not([hidden])';
  await waitForSelector(ui, `${pane}[data-status=live]`);
  await ui.click(`${pane} .xterm`);
  await ui.type('echo flow ok');
  await ui.press('Enter');
  const lines = await until<string[]>(
    ui,
    `document.querySelector(${css(`${pane} ${byTestId('terminal-view')}`)}).chamberTerminal.text().split('\\n')`,
    (shown) => shown.includes('flow ok'),
    'the echoed line in the terminal',
  );
  return lines.find((line) => line === 'flow ok')!;
}

/** Desktop: the title bar's workspace button, the refused folder again, "Grant access": it is approved and opens. */
export async function grantAccessToOutside(ui: UiPage, tree: FlowTree): Promise<void> {
  const picker = byTestId('workspace-picker');
  await until(ui, `document.querySelector(${css(picker)}) === null`, Boolean, 'the picker closed');
  await ui.click(byTestId('workspace-switch'));
  const field = byTestId('picker-path');
  await ui.click(field);
  await ui.fill(field, tree.outside);
  await ui.press('Enter');
  // From the keyboard: the refusal's toasts may cover the button's spot.
  await waitForSelector(ui, byTestId('picker-grant-access'));
  await ui.evaluate(`document.querySelector(${css(byTestId('picker-grant-access'))}).focus()`);
  await ui.press('Enter');
  await until(
    ui,
    `document.querySelector(${css(byTestId('picker-open'))})?.textContent`,
    (text) => text === 'Open outside',
    'the approved folder shown in the picker',
  );
  await until(ui, `document.querySelector('.picker-problem') === null`, Boolean, 'the refusal gone');
  await ui.evaluate(`document.querySelector(${css(byTestId('picker-list'))}).focus()`);
  await ui.press('Control+Enter');
  await until(
    ui,
    `document.querySelector(${css(`${byTestId('workspace-switch')} .workspace-name`)})?.textContent`,
    (name) => name === 'outside',
    'the approved folder open as the workspace',
  );
}

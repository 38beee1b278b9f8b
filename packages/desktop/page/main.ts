/**
 * The desktop's placeholder page, shown until a UI bundle is given: it proves the window works by
 * using the real client (`installRuntimeAPIs`, the same entry the React UI uses) for a few flows:
 * settings, the folder picker, a directory listing, a notification and the log download.
 */
import { installRuntimeAPIs } from '@chamber/client';
import type { SettingsPayload } from '@chamber/contract';

const apis = installRuntimeAPIs();
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function status(text: string, isError = false): void {
  const element = byId('status');
  element.textContent = text;
  element.className = isError ? 'error' : '';
}

function formatSize(size: number | undefined): string {
  if (size === undefined) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} kB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function listItems(target: HTMLElement, items: string[]): void {
  target.replaceChildren(
    ...items.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      li.title = text;
      return li;
    }),
  );
}

async function showDirectory(directory: string): Promise<void> {
  byId('listing-title').textContent = directory;
  try {
    const { entries } = await apis.files.listDirectory(directory);
    const sorted = [...entries].sort(
      (a, b) => Number(b.isDirectory) - Number(a.isDirectory) || a.name.localeCompare(b.name),
    );
    byId('entries').replaceChildren(
      ...sorted.map((entry) => {
        const li = document.createElement('li');
        const kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = entry.isDirectory ? '▸' : '·';
        const name = document.createElement('span');
        name.textContent = entry.name;
        const size = document.createElement('span');
        size.className = 'size';
        size.textContent = entry.isDirectory ? '' : formatSize(entry.size);
        li.append(kind, name, size);
        return li;
      }),
    );
  } catch (error) {
    byId('entries').replaceChildren();
    status((error as Error).message, true);
  }
}

function render(settings: SettingsPayload): void {
  byId('project').textContent = settings.lastDirectory ?? 'No folder chosen';
  listItems(byId('approved'), settings.approvedDirectories ?? []);
  if (settings.lastDirectory) void showDirectory(settings.lastDirectory);
}

async function chooseFolder(): Promise<void> {
  status('Waiting for the folder picker…');
  const result = await apis.permissions.requestDirectoryAccess({ path: '' });
  if (!result.success || !result.path) {
    status(
      result.error === 'Directory selection cancelled' ? '' : (result.error ?? 'Failed to select directory'),
      true,
    );
    return;
  }
  render(await apis.settings.save({ lastDirectory: result.path }));
  status(`Opened ${result.path}`);
}

async function downloadLogs(): Promise<void> {
  const diagnostics = apis.diagnostics;
  if (!diagnostics) return;
  const { fileName, content } = await diagnostics.downloadLogs();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([content], { type: 'text/plain;charset=utf-8' }));
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
  status(`Saved ${fileName} (${formatSize(content.length)})`);
}

async function start(): Promise<void> {
  byId('transport').textContent = apis.runtime.isDesktop ? 'desktop · IPC' : 'web · HTTP';
  byId('transport').classList.add('ok');
  byId('home').textContent = await apis.files.home();
  render((await apis.settings.load()).settings);
  await apis.settings.subscribe(render);
  byId('choose').addEventListener('click', () => void chooseFolder());
  byId('notify').addEventListener('click', async () => {
    const shown = await apis.notifications.notifyAgentCompletion({
      title: 'Chamber',
      body: 'The desktop window works.',
    });
    status(shown ? 'Notification sent' : 'Notifications are unavailable', !shown);
  });
  byId('logs').addEventListener('click', () => void downloadLogs());
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      void downloadLogs();
    }
  });
  document.documentElement.dataset.ready = 'true';
}

start().catch((error: unknown) => status(`Could not reach the runtime: ${(error as Error).message}`, true));

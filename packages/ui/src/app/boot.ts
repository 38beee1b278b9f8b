/**
 * Start-up: settings, home and (from settings) the last workspace, then live settings updates.
 * As the reference UI does, the home directory is recorded as `homeDirectory` once known
 * (desktop-ipc.md §8.4), which also lets a desktop window browse from home.
 */
import { normalizeDirectory } from '../lib/paths.js';
import { attempt } from '../state/runtime.js';
import { useSettings } from '../state/settings.js';
import { useWorkspace } from '../state/workspace.js';

let started = false;

export async function boot(): Promise<void> {
  // Once per page, even if a development StrictMode runs the calling effect twice.
  if (started) return;
  started = true;
  const [settings, home] = await Promise.all([
    useSettings.getState().load(),
    attempt('Finding the home directory', (apis) => apis.files.home()),
  ]);
  const homeDir = home ? normalizeDirectory(home) : null;
  const workspace = useWorkspace.getState();
  workspace.setHome(homeDir);

  void attempt('Subscribing to settings changes', (apis) =>
    apis.settings.subscribe((next) => useSettings.getState().receive(next)),
  );

  if (homeDir && homeDir !== '/' && settings && settings.homeDirectory !== homeDir) {
    // Awaited: on desktop this save is what approves home, so the picker can list it.
    await useSettings.getState().save({ homeDirectory: homeDir }, 'Recording the home directory');
  }
  const last = settings?.lastDirectory;
  if (last && (await workspace.open(last, { remember: false }))) return;
  workspace.choose();
}

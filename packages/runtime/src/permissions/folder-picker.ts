/**
 * The OS folder picker behind `request_directory_access` without a path: zenity or kdialog on
 * Linux (whichever is on PATH, zenity first), AppleScript's `choose folder` on macOS. The
 * reference used Tauri's dialog plugin with the title `Select Working Directory`.
 */
import { describeToolFailure, type OsTools } from '../util/os-tools.js';

export type PickResult = { kind: 'picked'; path: string } | { kind: 'cancelled' } | { kind: 'failed'; error: string };

export interface FolderPicker {
  pick(options: { title: string; startDirectory?: string; signal?: AbortSignal }): Promise<PickResult>;
}

export const PICKER_TITLE = 'Select Working Directory';
export const NO_PICKER_MESSAGE = 'No folder picker found: install zenity or kdialog';

/** A picked path without the trailing newline (and without the trailing slash macOS adds). */
function pickedPath(stdout: string): string {
  const line = stdout.replace(/\r?\n$/, '');
  return line.length > 1 ? line.replace(/\/+$/, '') : line;
}

export function createOsFolderPicker(tools: OsTools): FolderPicker {
  return {
    async pick({ title, startDirectory, signal }) {
      let executable: string | undefined;
      let args: string[];
      // Exit code meaning "the user cancelled", per program.
      let cancelled: (code: number | null, stderr: string) => boolean;
      if (tools.platform === 'darwin') {
        executable = await tools.find('osascript');
        // The title travels as an argument, never spliced into the script text.
        args = [
          '-e',
          'on run argv',
          '-e',
          'return POSIX path of (choose folder with prompt (item 1 of argv))',
          '-e',
          'end run',
          '--',
          title,
        ];
        cancelled = (code, stderr) => code === 1 && stderr.includes('-128');
      } else {
        executable = await tools.find('zenity');
        if (executable) {
          args = ['--file-selection', '--directory', `--title=${title}`];
          if (startDirectory) args.push(`--filename=${startDirectory.replace(/\/?$/, '/')}`);
        } else {
          executable = await tools.find('kdialog');
          args = ['--getexistingdirectory', startDirectory || '.', '--title', title];
        }
        cancelled = (code) => code === 1;
      }
      if (!executable) return { kind: 'failed', error: NO_PICKER_MESSAGE };
      let result;
      try {
        result = await tools.run(executable, args, { signal });
      } catch (error) {
        return { kind: 'failed', error: `Failed to open the folder picker: ${(error as Error).message}` };
      }
      if (result.code === 0) {
        const path = pickedPath(result.stdout);
        return path ? { kind: 'picked', path } : { kind: 'cancelled' };
      }
      if (cancelled(result.code, result.stderr)) return { kind: 'cancelled' };
      return { kind: 'failed', error: `Folder picker failed: ${describeToolFailure(result)}` };
    },
  };
}

/**
 * OS notifications behind `notify_agent_completion`: `notify-send` (libnotify, which speaks the
 * freedesktop D-Bus notification protocol) on Linux, AppleScript's `display notification` with the
 * reference's `Glass` sound on macOS.
 *
 * The reference ignored `tag`; the browser's Notification API (the web build) replaces an earlier
 * notification with the same tag. On Linux we do the same with the notification id `notify-send`
 * prints; macOS offers no replacement, so the tag is ignored there.
 */
import { RuntimeError } from '@chamber/contract';
import { describeToolFailure, type OsTools } from '../util/os-tools.js';

export interface OsNotification {
  title: string;
  body: string;
  tag?: string;
}

export interface Notifier {
  notify(notification: OsNotification): Promise<void>;
}

export const APP_NAME = 'Chamber';
/** Tags remembered for replacement; older ones are forgotten first. */
const MAX_REMEMBERED_TAGS = 100;
const NOTIFY_TIMEOUT_MS = 10_000;

/** Notification servers may render body markup; the UI sends plain text, so show it as such. */
export function escapeBodyMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function createOsNotifier(tools: OsTools): Notifier {
  const idsByTag = new Map<string, number>();

  async function notifyLinux({ title, body, tag }: OsNotification): Promise<void> {
    const executable = await tools.find('notify-send');
    if (!executable) {
      throw new RuntimeError(503, 'Notifications are unavailable: notify-send (libnotify-bin) is not installed');
    }
    const replaces = tag === undefined ? undefined : idsByTag.get(tag);
    const args = [
      `--app-name=${APP_NAME}`,
      '--print-id',
      // The freedesktop sound-naming spec's "task completed" sound; servers without sound ignore it.
      '--hint=string:sound-name:complete',
      ...(replaces === undefined ? [] : [`--replace-id=${replaces}`]),
      '--',
      title,
      escapeBodyMarkup(body),
    ];
    const result = await run(executable, args);
    const id = Number.parseInt(result.stdout.trim(), 10);
    if (tag !== undefined && Number.isInteger(id) && id > 0) {
      idsByTag.delete(tag);
      idsByTag.set(tag, id);
      if (idsByTag.size > MAX_REMEMBERED_TAGS) idsByTag.delete(idsByTag.keys().next().value as string);
    }
  }

  async function notifyMac({ title, body }: OsNotification): Promise<void> {
    const executable = await tools.find('osascript');
    if (!executable) throw new RuntimeError(503, 'Notifications are unavailable: osascript was not found');
    // Title and body travel as arguments, never spliced into the script text.
    await run(executable, [
      '-e',
      'on run argv',
      '-e',
      'display notification (item 2 of argv) with title (item 1 of argv) sound name "Glass"',
      '-e',
      'end run',
      '--',
      title,
      body,
    ]);
  }

  async function run(executable: string, args: string[]) {
    let result;
    try {
      result = await tools.run(executable, args, { timeoutMs: NOTIFY_TIMEOUT_MS });
    } catch (error) {
      throw new RuntimeError(500, `Failed to show notification: ${(error as Error).message}`);
    }
    if (result.code !== 0) throw new RuntimeError(500, `Failed to show notification: ${describeToolFailure(result)}`);
    return result;
  }

  return {
    notify(notification) {
      if (tools.platform === 'darwin') return notifyMac(notification);
      if (tools.platform === 'win32') {
        return Promise.reject(new RuntimeError(501, 'Notifications are not supported on Windows yet'));
      }
      return notifyLinux(notification);
    },
  };
}

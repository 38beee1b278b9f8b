/**
 * The `RuntimeAPIs` members that reach the host's OS: permissions, notifications, diagnostics
 * (desktop-ipc.md §3.6). On desktop they call the desktop-only commands; on the web they behave
 * as the reference's web build did (permissions succeed locally, notifications use the browser's
 * Notification API, diagnostics is absent), since a web server's OS is not the user's.
 *
 * The reference bridges never reject here (permissions answer `{ success: false, error }`,
 * notifications `false`); downloadLogs rejects with the runtime's own message (the reference
 * replaced it with a fixed text, one of the defects desktop-ipc.md §9 lists).
 */
import {
  DESKTOP_LOG_FILE_NAME,
  NOTIFICATION_DEFAULT_BODY,
  NOTIFICATION_DEFAULT_TITLE,
  type DesktopLogsResponse,
  type DiagnosticsAPI,
  type DirectoryAccessResponse,
  type DirectoryPermissionResult,
  type DirectoryPermissionsState,
  type NotificationsAPI,
  type PermissionsAPI,
  type StartAccessingResult,
} from '@chamber/contract';
import { messageOf } from './errors.js';
import { wire } from './normalize.js';
import type { Transport } from './transport.js';

const PERMISSIONS_CHANGED = 'permissions://changed';

export interface ChamberPermissionsAPI extends PermissionsAPI {
  /** Called with what the sandbox admits after every change (desktop); resolves once active. */
  subscribe(handler: (state: DirectoryPermissionsState) => void): Promise<() => void>;
}

/** Wire `{ success, path, error }` with nulls → the RuntimeAPIs shape with absent members. */
function toPermissionResult(result: unknown): DirectoryPermissionResult {
  const { success, path, error } = wire<DirectoryAccessResponse>(result);
  return {
    success: success === true,
    ...(typeof path === 'string' && { path }),
    ...(typeof error === 'string' && { error }),
  };
}

function toAccessingResult(result: unknown): StartAccessingResult {
  const { success, error } = toPermissionResult(result);
  return error === undefined ? { success } : { success, error };
}

function toPermissionsState(payload: unknown): DirectoryPermissionsState {
  const { approvedDirectories, accessingDirectories } = wire<DirectoryPermissionsState>(payload);
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return {
    approvedDirectories: strings(approvedDirectories),
    accessingDirectories: strings(accessingDirectories),
  };
}

export function createPermissionsAPI(transport: Transport): ChamberPermissionsAPI {
  if (transport.kind === 'web') {
    return {
      async requestDirectoryAccess({ path }) {
        return { success: true, path };
      },
      async startAccessingDirectory() {
        return { success: true };
      },
      async stopAccessingDirectory() {
        return { success: true };
      },
      // Nothing changes permissions on the web, so there is never anything to report.
      async subscribe() {
        return () => {};
      },
    };
  }
  const swallow = (error: unknown) => ({ success: false, error: messageOf(error) });
  return {
    requestDirectoryAccess(request) {
      return transport
        .invoke('request_directory_access', { request: { path: request?.path } })
        .then(toPermissionResult, swallow);
    },
    startAccessingDirectory(path) {
      return transport.invoke('start_accessing_directory', { path }).then(toAccessingResult, swallow);
    },
    stopAccessingDirectory(path) {
      return transport.invoke('stop_accessing_directory', { path }).then(toAccessingResult, swallow);
    },
    subscribe(handler) {
      return transport.listen(PERMISSIONS_CHANGED, (payload) => handler(toPermissionsState(payload)));
    },
  };
}

interface BrowserNotificationClass {
  new (title: string, options?: { body?: string; tag?: string }): unknown;
  readonly permission: 'default' | 'denied' | 'granted';
  requestPermission(): Promise<'default' | 'denied' | 'granted'>;
}

function browserNotification(): BrowserNotificationClass | undefined {
  const candidate = (globalThis as { Notification?: unknown }).Notification;
  return typeof candidate === 'function' ? (candidate as BrowserNotificationClass) : undefined;
}

export function createNotificationsAPI(transport: Transport): NotificationsAPI {
  if (transport.kind === 'web') {
    return {
      async notifyAgentCompletion(payload) {
        const Notification = browserNotification();
        if (!Notification) return false;
        try {
          const permission =
            Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
          if (permission !== 'granted') return false;
          new Notification(payload?.title ?? NOTIFICATION_DEFAULT_TITLE, {
            body: payload?.body ?? NOTIFICATION_DEFAULT_BODY,
            ...(payload?.tag !== undefined && { tag: payload.tag }),
          });
          return true;
        } catch {
          return false;
        }
      },
      canNotify() {
        return browserNotification()?.permission === 'granted';
      },
    };
  }
  return {
    notifyAgentCompletion(payload) {
      return transport.invoke('notify_agent_completion', { payload }).then(
        () => true,
        () => false,
      );
    },
    // The OS has no permission prompt for notify-send/osascript; a missing notifier shows as a
    // `false` from notifyAgentCompletion instead.
    async canNotify() {
      return true;
    },
  };
}

/**
 * The desktop log download. `createRuntimeAPIs` installs it on desktop only: the UI binds
 * Ctrl+Shift+L only when `diagnostics` is present.
 */
export function createDiagnosticsAPI(transport: Transport): DiagnosticsAPI {
  return {
    async downloadLogs() {
      const { fileName, content } = wire<DesktopLogsResponse>(await transport.invoke('fetch_desktop_logs', {}));
      return {
        fileName: typeof fileName === 'string' && fileName.trim() ? fileName : DESKTOP_LOG_FILE_NAME,
        content: typeof content === 'string' ? content : '',
      };
    },
  };
}

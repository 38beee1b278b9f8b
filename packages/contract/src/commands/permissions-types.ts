/** Directory permission shapes: `RuntimeAPIs.permissions`, the commands' answers, the `permissions://changed` event. */
export interface DirectoryPermissionRequest {
  path: string;
}

export interface DirectoryPermissionResult {
  success: boolean;
  path?: string;
  error?: string;
}

export interface StartAccessingResult {
  success: boolean;
  error?: string;
}

/** Wire answer of `request_directory_access` (desktop-ipc.md §4.4): absent fields are `null`. */
export interface DirectoryAccessResponse {
  success: boolean;
  path: string | null;
  error: string | null;
}

/** Wire answer of `start_accessing_directory` / `stop_accessing_directory`. */
export interface AccessingDirectoryResponse {
  success: boolean;
  error: string | null;
}

/** Payload of the `permissions://changed` event: what the sandbox admits right now. */
export interface DirectoryPermissionsState {
  /** Persisted approvals (`approvedDirectories` in settings.json). */
  approvedDirectories: string[];
  /** Directories opened with `start_accessing_directory` in this session and not stopped yet. */
  accessingDirectories: string[];
}

export interface PermissionsAPI {
  requestDirectoryAccess(request: DirectoryPermissionRequest): Promise<DirectoryPermissionResult>;
  startAccessingDirectory(path: string): Promise<StartAccessingResult>;
  stopAccessingDirectory(path: string): Promise<StartAccessingResult>;
}

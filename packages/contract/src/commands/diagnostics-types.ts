/** Diagnostics shapes: `RuntimeAPIs.diagnostics` and the answer of `fetch_desktop_logs`. */
/** Wire answer of `fetch_desktop_logs` (desktop-ipc.md §4.9). */
export interface DesktopLogsResponse {
  fileName: string;
  content: string;
}

export interface DiagnosticsAPI {
  downloadLogs(): Promise<{ fileName: string; content: string }>;
}

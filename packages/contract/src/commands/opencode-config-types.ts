/**
 * Wire shapes of OpenCode's own configuration commands (settings-config-prompts.md §5.3, §6):
 * where an agent or command is defined, what a mutation answers, and the models metadata.
 */

/** `GET /api/config/{agents|commands}/:name`: where the entry is defined and with which fields. */
export interface ConfigSourcesResponse {
  /** The name as requested (after percent-decoding). */
  name: string;
  sources: {
    /** `agent/<name>.md` or `command/<name>.md`; `path` is null when the file does not exist. */
    md: { exists: boolean; path: string | null; fields: string[] };
    /** The entry's section of the OpenCode config file; `path` is that file, always given. */
    json: { exists: boolean; path: string; fields: string[] };
  };
  /** True when neither source defines the name (built-in agents, and unknown names too). */
  isBuiltIn: boolean;
}

/** Every mutation and `POST /api/config/reload`; the UI waits `reloadDelayMs`, then reloads. */
export interface ConfigMutationResponse {
  success: true;
  requiresReload: true;
  /** e.g. `Agent reviewer created successfully. Reloading interface…` (U+2026 at the end). */
  message: string;
  /** Always 800 (the reference's value). */
  reloadDelayMs: number;
}

/** One model as models.dev describes it; only the members the UI reads are named. */
export interface ModelsDevModel {
  id?: string;
  name?: string;
  tool_call?: boolean;
  reasoning?: boolean;
  temperature?: boolean;
  attachment?: boolean;
  modalities?: { input?: string[]; output?: string[] };
  cost?: { input?: number; output?: number; cache_read?: number; cache_write?: number };
  limit?: { context?: number; output?: number };
  knowledge?: string;
  release_date?: string;
  last_updated?: string;
  [member: string]: unknown;
}

export interface ModelsDevProvider {
  id?: string;
  models?: Record<string, ModelsDevModel>;
  [member: string]: unknown;
}

/**
 * `GET /api/openchamber/models-metadata`: models.dev's JSON verbatim, keyed by provider id. Only
 * checked to be a JSON object; the member types above describe upstream, they are not enforced.
 */
export type ModelsMetadataResponse = Record<string, ModelsDevProvider>;

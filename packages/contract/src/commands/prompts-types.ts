/**
 * Prompt enhancer shapes (settings-config-prompts.md §3, §4): `RuntimeAPIs.promptEnhancer`, its
 * config (groups, options), the refine answers, and Chamber's AI endpoint setting, which refine and
 * the AI commit message share.
 */
export interface PromptEnhancerOption {
  id: string;
  label: string;
  summaryLabel: string;
  description?: string;
  instruction: string;
}

export interface PromptEnhancerGroup {
  id: string;
  label: string;
  helperText?: string;
  summaryHeading: string;
  multiSelect: boolean;
  defaultOptionId?: string;
  options: PromptEnhancerOption[];
}

export interface PromptEnhancerConfig {
  version: number;
  groupOrder: string[];
  groups: Record<string, PromptEnhancerGroup>;
}

export interface PromptEnhancerAPI {
  loadConfig(): Promise<PromptEnhancerConfig | null>;
  saveConfig(config: PromptEnhancerConfig): Promise<PromptEnhancerConfig>;
}

export type PromptStyle = 'concise' | 'balanced' | 'detailed';

/**
 * The six core groups of the bundled config and their options' ids (settings-config-prompts.md
 * §3.2). The sanitiser always puts these back, so a client must not offer to remove them (the
 * reference UI hard-codes the group ids as `CORE_PROMPT_ENHANCER_GROUP_IDS`).
 */
export const PROMPT_ENHANCER_CORE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  implementationmode: ['feature', 'bugfix', 'refactor', 'exploration'],
  scope: ['small', 'medium', 'large'],
  testing: ['required', 'recommended', 'none'],
  runtimeaccess: ['allowed', 'blocked'],
  documentation: ['required', 'notes', 'none'],
  surfaceareas: ['frontend', 'backend', 'shared', 'infra', 'tests'],
};

/** The option every custom group carries unless a client gives one with this id. */
export const PROMPT_ENHANCER_PLACEHOLDER_OPTION_ID = 'default';

/**
 * The body of `POST /api/prompts/refine` and `/refine/preview` (§4.1) as a client should send
 * it. The runtime accepts anything (the reference's loose parsing: wrong types count as absent).
 */
export interface RefineRequest {
  prompt: string;
  selections?: { single?: Record<string, string>; multi?: Record<string, string[]> };
  configuration?: PromptEnhancerConfig;
  additionalConstraints?: string[];
  contextSummary?: string;
  diffDigest?: string;
  includeAgentsContext?: boolean | string;
  includeReadmeContext?: boolean | string;
  includeRepositoryDiff?: boolean | string;
  workspaceDirectory?: string;
  promptStyle?: PromptStyle;
  targetAgent?: { name: string; description?: string; tools?: string[] };
}

/** `POST /api/prompts/refine` (§4.6). */
export interface RefineResponse {
  prompt: string;
  rationale: string[];
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** `POST /api/prompts/refine/preview` (§4.7): everything refine would send, nothing sent. */
export interface RefinePreview {
  systemPrompt: string;
  userContent: string;
  messages: [ChatMessage & { role: 'system' }, ChatMessage & { role: 'user' }];
  summaryEntries: string[];
  summaryBlock: string;
  instructions: string[];
  additionalConstraints: string[];
  contextSummary: string;
  diffDigest: string;
  rawPrompt: string;
  agentsContext: string;
  readmeContext: string;
  repositoryDiff: string;
  userPromptPreview: string;
  targetAgentContext: string;
  targetAgentName?: string;
  includeAgentsContext: boolean;
  includeReadmeContext: boolean;
  includeProjectContext: boolean;
  includeRepositoryDiff: boolean;
}

// ---------------------------------------------------------------------------------------------
// The AI endpoint (Chamber's own: the reference called one hard-coded endpoint)
// ---------------------------------------------------------------------------------------------

export type AiEndpointField = 'url' | 'model' | 'apiKey' | 'timeoutMs';

/**
 * Where a field's effective value comes from. `environment` wins over `settings`
 * (`ai-endpoint.json`), which wins over `default`.
 */
export type AiEndpointSource = 'default' | 'settings' | 'environment';

/** `get_ai_endpoint` / `save_ai_endpoint`: the effective setting, the API key never in full. */
export interface AiEndpointSettings {
  /** As configured: an OpenAI-compatible base URL (`…/v1`) or a full chat-completions URL. */
  url: string;
  /** Where requests go: `url`, with `/chat/completions` appended unless it already ends so. */
  chatCompletionsUrl: string;
  model: string;
  apiKeySet: boolean;
  /** The key masked (`••••` and its last four characters when it is long enough), '' when none. */
  apiKeyHint: string;
  /** Bound on one whole exchange with the endpoint (ms). */
  timeoutMs: number;
  sources: Record<AiEndpointField, AiEndpointSource>;
  /** For each field set by the environment, the variable it comes from (it overrides Settings). */
  variables: Partial<Record<AiEndpointField, string>>;
  /**
   * What makes the AI commit message differ from this setting: `CHAMBER_COMMIT_MESSAGE_*`
   * variables that are set (they apply to the commit message only), or `runtime options`.
   */
  commitMessageOverrides: string[];
  defaults: { url: string; model: string; timeoutMs: number };
  /** The file the setting is stored in (`<data dir>/ai-endpoint.json`). */
  settingsFile: string;
}

/**
 * `save_ai_endpoint` / `test_ai_endpoint` arguments. An absent member is left as it is; `''`
 * (`url`, `model`, `apiKey`) and `0` (`timeoutMs`) return the field to its default.
 */
export interface AiEndpointChanges {
  url?: string;
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** `test_ai_endpoint`: one tiny chat completion went through. */
export interface AiEndpointTestResult {
  ok: true;
  chatCompletionsUrl: string;
  model: string;
  /** The model's reply, cut to 200 characters ('' when it had no text). */
  reply: string;
  durationMs: number;
}

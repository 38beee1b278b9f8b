/**
 * The prompt enhancer (`RuntimeAPIs.promptEnhancer`, which the reference offered on desktop only:
 * here both transports have it, refine and preview included) and Chamber's AI endpoint setting.
 */
import type {
  AiEndpointChanges,
  AiEndpointSettings,
  AiEndpointTestResult,
  PromptEnhancerAPI,
  PromptEnhancerConfig,
  RefinePreview,
  RefineRequest,
  RefineResponse,
} from '@chamber/contract';
import type { Transport } from './transport.js';

export interface ChamberPromptEnhancerAPI extends PromptEnhancerAPI {
  loadConfig(): Promise<PromptEnhancerConfig>;
  refine(request: RefineRequest): Promise<RefineResponse>;
  preview(request: RefineRequest): Promise<RefinePreview>;
}

export interface ChamberAiAPI {
  /** The effective endpoint (refine's), where each value comes from; the key only masked. */
  getEndpoint(): Promise<AiEndpointSettings>;
  /** Store changes (absent: unchanged; '' or 0: back to the default). */
  saveEndpoint(changes: AiEndpointChanges): Promise<AiEndpointSettings>;
  /** One tiny chat completion with `changes` applied over the effective setting, nothing saved. */
  testEndpoint(changes?: AiEndpointChanges): Promise<AiEndpointTestResult>;
}

export function createPromptEnhancerAPI(transport: Transport): ChamberPromptEnhancerAPI {
  return {
    loadConfig: () => transport.invoke('load_prompt_enhancer_config', {}),
    saveConfig: (config) => transport.invoke('save_prompt_enhancer_config', { payload: config }),
    // The request's members are the command's arguments (the HTTP body, one to one).
    refine: (request) => transport.invoke('refine_prompt', { ...request }),
    preview: (request) => transport.invoke('preview_prompt_refinement', { ...request }),
  };
}

export function createAiAPI(transport: Transport): ChamberAiAPI {
  return {
    getEndpoint: () => transport.invoke('get_ai_endpoint', {}),
    saveEndpoint: (changes) => transport.invoke('save_ai_endpoint', { ...changes }),
    testEndpoint: (changes = {}) => transport.invoke('test_ai_endpoint', { ...changes }),
  };
}

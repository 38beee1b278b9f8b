/**
 * Prompt-enhancer handlers: the stored config (`../prompts/store.ts`), and refine/preview, which
 * read the workspace through the sandbox (the reference read any directory it was given and
 * echoed its files back in the preview).
 */
import { MAX_PATH_LENGTH, RuntimeError, type PromptCommandName } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import {
  buildRefinePayload,
  parseFlags,
  requirePrompt,
  type RawRefineRequest,
  type RefineContext,
} from '../prompts/assemble.js';
import { loadProjectContext, loadRepositoryDiff } from '../prompts/context.js';
import { requestRefinement } from '../prompts/refine.js';
import type { Services } from './context.js';

type PromptCommands = Pick<CommandHandlers, PromptCommandName>;

export function promptCommands(services: Services): PromptCommands {
  const { sandbox, logger } = services;

  /**
   * The directory to read, canonical and inside the sandbox, or null for "no context". A named
   * directory outside the sandbox is 403; one that does not exist gives no context (as the
   * reference, which found no files there). The default, OpenCode's directory, is skipped rather
   * than refused when the sandbox does not allow it: the client did not ask for it.
   */
  async function workspaceDirectory(value: unknown): Promise<string | null> {
    if (typeof value === 'string' && value.trim() !== '') {
      if (value.length > MAX_PATH_LENGTH) {
        throw new RuntimeError(400, `workspaceDirectory is too long (at most ${MAX_PATH_LENGTH} characters)`);
      }
      if (value.includes('\0')) throw new RuntimeError(400, 'workspaceDirectory must not contain NUL bytes');
      try {
        return (await sandbox.resolveExisting(value)).realPath;
      } catch (error) {
        if (error instanceof RuntimeError && error.status === 404) return null;
        throw error;
      }
    }
    try {
      return (await sandbox.resolveExisting(services.opencode.directory)).realPath;
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      logger.log('info', 'Refinement without project context: the default directory is not accessible', {
        directory: services.opencode.directory,
        reason: error.message,
      });
      return null;
    }
  }

  /** §4.2–§4.3: the files are read whatever the flags (they only decide what is used), the diff on request. */
  async function readContext(request: RawRefineRequest): Promise<RefineContext> {
    // Validated first: the reference read files and ran git before refusing an empty prompt.
    requirePrompt(request);
    const directory = await workspaceDirectory(request.workspaceDirectory);
    if (directory === null) return { agentsContext: '', readmeContext: '', repositoryDiff: '' };
    const { includeRepositoryDiff } = parseFlags(request);
    const [project, repositoryDiff] = await Promise.all([
      loadProjectContext(directory, logger),
      includeRepositoryDiff ? loadRepositoryDiff(directory, services.git, logger) : Promise.resolve(''),
    ]);
    return { ...project, repositoryDiff };
  }

  return {
    async load_prompt_enhancer_config() {
      return services.promptEnhancer.load();
    },

    async save_prompt_enhancer_config({ payload }) {
      return services.promptEnhancer.save(payload);
    },

    async preview_prompt_refinement(request) {
      return buildRefinePayload(request, await readContext(request));
    },

    async refine_prompt(request) {
      const payload = buildRefinePayload(request, await readContext(request));
      return requestRefinement(await services.ai.resolve('refine'), payload.messages, logger);
    },
  };
}

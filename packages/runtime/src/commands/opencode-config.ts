import { RuntimeError, type ConfigMutationResponse, type ConfigSourcesResponse } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import { OpenCodeConfig, mutationMessage, type ConfigEntries } from '../opencode/config/index.js';
import { ModelsMetadata, modelsMetadataCacheFile, modelsMetadataUrl } from '../opencode/models-metadata.js';
import type { Services } from './context.js';

type OpenCodeConfigCommands = Pick<
  CommandHandlers,
  | 'get_agent_config'
  | 'create_agent'
  | 'update_agent'
  | 'delete_agent'
  | 'get_command_config'
  | 'create_command'
  | 'update_command'
  | 'delete_command'
  | 'reload_opencode_config'
  | 'get_models_metadata'
>;

/** The reference's value: the UI waits this long before its first health poll after a change. */
const RELOAD_DELAY_MS = 800;

function mutationResponse(message: string): ConfigMutationResponse {
  return { success: true, requiresReload: true, message, reloadDelayMs: RELOAD_DELAY_MS };
}

export function opencodeConfigCommands(services: Services): OpenCodeConfigCommands {
  const config = new OpenCodeConfig(services.opencodeConfigDir);
  const modelsMetadata = new ModelsMetadata({
    url: modelsMetadataUrl(services.env),
    cacheFile: modelsMetadataCacheFile(services.dataDir),
    logger: services.logger,
  });

  /** The reference answers one fixed text for any failure of the lookup; the cause is logged. */
  async function sources(entries: ConfigEntries, name: string): Promise<ConfigSourcesResponse> {
    try {
      return await entries.sources(name);
    } catch (error) {
      if (error instanceof RuntimeError && error.status < 500) throw error;
      services.logger.log('warn', `Reading the ${entries.kind.kind} configuration failed`, {
        name,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new RuntimeError(500, `Failed to get ${entries.kind.kind} configuration metadata`);
    }
  }

  function requireFields(entries: ConfigEntries, fields: Record<string, unknown> | undefined): Record<string, unknown> {
    if (fields) return fields;
    throw new RuntimeError(400, `${entries.kind.label} configuration is required: send a JSON object body`);
  }

  async function create(entries: ConfigEntries, name: string, fields: Record<string, unknown> | undefined) {
    await entries.create(name, requireFields(entries, fields));
    // Only a created agent is awaited in OpenCode's list: a command has no such check, and an
    // updated or deleted agent may rightly be absent (the reference's DELETE waited forever).
    await services.opencode.refreshAfterConfigChange(entries.kind.kind === 'agent' ? { agent: name } : undefined);
    return mutationResponse(mutationMessage(entries.kind, 'created', name));
  }

  async function update(entries: ConfigEntries, name: string, fields: Record<string, unknown> | undefined) {
    await entries.update(name, requireFields(entries, fields));
    await services.opencode.refreshAfterConfigChange();
    return mutationResponse(mutationMessage(entries.kind, 'updated', name));
  }

  async function remove(entries: ConfigEntries, name: string) {
    await entries.remove(name);
    await services.opencode.refreshAfterConfigChange();
    return mutationResponse(mutationMessage(entries.kind, 'deleted', name));
  }

  return {
    get_agent_config: async ({ name }) => sources(config.agents, name),
    create_agent: async ({ name, config: fields }) => create(config.agents, name, fields),
    update_agent: async ({ name, config: fields }) => update(config.agents, name, fields),
    delete_agent: async ({ name }) => remove(config.agents, name),
    get_command_config: async ({ name }) => sources(config.commands, name),
    create_command: async ({ name, config: fields }) => create(config.commands, name, fields),
    update_command: async ({ name, config: fields }) => update(config.commands, name, fields),
    delete_command: async ({ name }) => remove(config.commands, name),

    async reload_opencode_config() {
      await services.opencode.refreshAfterConfigChange();
      return mutationResponse('Configuration reloaded successfully. Refreshing interface\u2026');
    },

    get_models_metadata: async () => modelsMetadata.get(),
  };
}

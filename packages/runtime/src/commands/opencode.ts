import fs from 'node:fs/promises';
import { OPENCODE_DIRECTORY_ERRORS, RuntimeError } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import type { FamilyProviders } from '../subscriptions.js';
import type { Services } from './context.js';

type OpenCodeCommands = Pick<
  CommandHandlers,
  'set_opencode_directory' | 'opencode_request' | 'opencode_request_body' | 'opencode_request_cancel'
>;

export function opencodeCommands(services: Services): OpenCodeCommands {
  const { opencode, opencodeRequests } = services;
  return {
    async set_opencode_directory({ path }) {
      if (path === undefined || path.trim() === '') throw new RuntimeError(400, OPENCODE_DIRECTORY_ERRORS.required);
      // Through the sandbox like every path (the reference accepted any directory).
      const resolved = await services.sandbox.resolveExisting(path);
      if (!(await fs.stat(resolved.realPath)).isDirectory()) {
        throw new RuntimeError(400, OPENCODE_DIRECTORY_ERRORS.notDirectory);
      }
      const { restarted } = await opencode.setDirectory(resolved.path);
      return { success: true, restarted, path: resolved.path };
    },

    async opencode_request(args) {
      return opencodeRequests.request(args);
    },

    async opencode_request_body(args) {
      opencodeRequests.appendBody(args);
      return null;
    },

    async opencode_request_cancel({ requestId }) {
      opencodeRequests.cancel(requestId);
      return null;
    },
  };
}

export function opencodeEventFamilies(services: Services): Pick<FamilyProviders, 'opencode://'> {
  return {
    'opencode://': (requestId, options, sink) => services.opencodeRequests.subscribe(requestId, options, sink),
  };
}

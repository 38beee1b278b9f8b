import type { CommandHandlers } from '../dispatch.js';
import type { FamilyProviders } from '../subscriptions.js';
import type { Services } from './context.js';

type TerminalCommands = Pick<
  CommandHandlers,
  'create_terminal_session' | 'send_terminal_input' | 'resize_terminal' | 'close_terminal'
>;

export function terminalCommands(services: Services): TerminalCommands {
  const { terminals } = services;
  return {
    async create_terminal_session({ payload }) {
      return terminals.create(payload);
    },

    async send_terminal_input({ sessionId, data }) {
      terminals.write(sessionId, data);
      return { success: true };
    },

    async resize_terminal({ sessionId, cols, rows }) {
      return { success: true, ...terminals.resize(sessionId, cols, rows) };
    },

    async close_terminal({ sessionId }) {
      terminals.close(sessionId);
      return { success: true };
    },
  };
}

export function terminalEventFamilies(services: Services): Pick<FamilyProviders, 'terminal://'> {
  return {
    'terminal://': (sessionId, options, sink) => services.terminals.subscribe(sessionId, options, sink),
  };
}

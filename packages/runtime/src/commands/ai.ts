/**
 * The AI endpoint setting's handlers (Chamber's own commands): read it (the key masked), change
 * it, and try it with one tiny chat completion.
 */
import { RuntimeError, type AiCommandName } from '@chamber/contract';
import { chatCompletion } from '../ai/chat.js';
import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';

type AiCommands = Pick<CommandHandlers, AiCommandName>;

const TEST_FAILURE = 'AI endpoint test failed';

export function aiCommands(services: Services): AiCommands {
  return {
    async get_ai_endpoint() {
      return services.ai.view();
    },

    async save_ai_endpoint(changes) {
      return services.ai.save(changes);
    },

    async test_ai_endpoint(changes) {
      const endpoint = await services.ai.resolve('test', changes);
      const started = performance.now();
      const { content, payload } = await chatCompletion(
        endpoint,
        {
          messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
          max_tokens: 16,
          stream: false,
        },
        { failure: TEST_FAILURE },
        services.logger,
      );
      const choices = (payload as { choices?: unknown } | null)?.choices;
      if (!Array.isArray(choices)) {
        const message = `${TEST_FAILURE}: ${endpoint.chatCompletionsUrl} answered JSON without "choices" — is it an OpenAI-compatible chat-completions endpoint? Check the URL in Settings → AI`;
        throw new RuntimeError(502, message, { detail: message });
      }
      return {
        ok: true,
        chatCompletionsUrl: endpoint.chatCompletionsUrl,
        model: endpoint.model,
        reply: typeof content === 'string' ? content.trim().slice(0, 200) : '',
        durationMs: Math.round(performance.now() - started),
      };
    },
  };
}

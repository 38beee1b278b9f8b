/** Runtime.close: the hook subsystems use to release what they started (PTYs, pickers, ...). */
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, createRuntime } from '../src/index.js';

describe('runtime close hooks', () => {
  it('run once, newest first, even when one fails', async () => {
    const logger = createMemoryLogger();
    const runtime = createRuntime({ homeDir: '/tmp', dataDir: '/tmp/chamber-close-hooks', logger, env: {} });
    const order: string[] = [];
    runtime.onClose(() => void order.push('first'));
    runtime.onClose(() => {
      throw new Error('boom');
    });
    runtime.onClose(async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('last');
    });
    await Promise.all([runtime.close(), runtime.close()]);
    await runtime.close();
    expect(order).toEqual(['last', 'first']);
    expect(logger.lines).toContainEqual({ level: 'error', message: 'A close hook failed', fields: { error: 'boom' } });
  });
});

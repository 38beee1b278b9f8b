import { RuntimeError, commands, configEntryNameProblem } from '@chamber/contract';
import { describe, expect, it } from 'vitest';

function refusal(command: 'get_agent_config' | 'delete_command', name: unknown): RuntimeError | undefined {
  try {
    commands[command].args.parse({ name }, '');
    return undefined;
  } catch (error) {
    return error as RuntimeError;
  }
}

describe('agent and command names', () => {
  it('accepts plain file names, dots and spaces inside included', () => {
    for (const name of ['build', 'code-reviewer', 'my agent', 'v1.2', 'a'.repeat(100), 'é文']) {
      expect(configEntryNameProblem(name)).toBeUndefined();
    }
  });

  it.each([
    ['', 'must not be empty'],
    [undefined, 'must not be empty'],
    [42, 'must be a string'],
    ['a'.repeat(101), 'must be at most 100 characters'],
    ['a/b', 'must not contain "/" or "\\"'],
    ['..\\x', 'must not contain "/" or "\\"'],
    ['a\0b', 'must not contain NUL characters'],
    ['..', 'must not contain ".."'],
    ['a..b', 'must not contain ".."'],
    ['.hidden', 'must not start with "."'],
  ])('refuses %j: %s', (name, problem) => {
    expect(configEntryNameProblem(name)).toBe(problem);
  });

  it('is checked by the command schemas with a 400 naming the kind', () => {
    const agent = refusal('get_agent_config', '../../etc/passwd');
    expect(agent).toBeInstanceOf(RuntimeError);
    expect(agent?.status).toBe(400);
    expect(agent?.message).toBe('Invalid agent name: must not contain "/" or "\\"');
    expect(refusal('delete_command', '.x')?.message).toBe('Invalid command name: must not start with "."');
    expect(refusal('get_agent_config', 'fine')).toBeUndefined();
  });
});

/** How the host hands frames to the page: the expression it evaluates there, run in a real V8 context. */
import vm from 'node:vm';
import type { IpcResponseFrame } from '@chamber/contract';
import { describe, expect, it } from 'vitest';
import { DELIVER_FUNCTION, deliveryCall } from '../src/window/page-channel.js';

/** Run a delivery call the way the renderer would, in a fresh context; returns what the page received. */
function deliverInContext(frames: IpcResponseFrame[]): unknown[] {
  const received: unknown[] = [];
  const context = vm.createContext({ [DELIVER_FUNCTION]: (batch: unknown[]) => received.push(...batch) });
  const [method, params] = deliveryCall(7, frames);
  if (method === 'Runtime.evaluate') {
    expect(params.contextId).toBe(7);
    vm.runInContext(params.expression as string, context);
  } else {
    expect(params.executionContextId).toBe(7);
    // The argument's value arrives as plain JSON data.
    const args = JSON.parse(JSON.stringify(params.arguments)) as { value: unknown }[];
    vm.runInContext(`(${params.functionDeclaration as string})`, context)(args[0]?.value);
  }
  return received;
}

describe('page channel delivery', () => {
  it('evaluates the frames as a literal, keeping text with quotes, escapes, control and separator characters', () => {
    const data = 'a "quoted" \\ back\\slash \r\n\x1b[31m red \u2028\u2029 </script> ${x} `tick` é😀';
    const frames: IpcResponseFrame[] = [
      { event: 'terminal://s1', payload: { type: 'data', data }, position: 42 },
      { id: 3, result: { entries: [{ name: 'x' }] } },
    ];
    const [method] = deliveryCall(1, frames);
    expect(method).toBe('Runtime.evaluate');
    expect(JSON.parse(JSON.stringify(deliverInContext(frames)))).toEqual(frames);
  });

  it('sends a batch with a "__proto__" key as an argument, so it stays an own property', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const frames: IpcResponseFrame[] = [{ event: 'settings://changed', payload }];
    expect(deliveryCall(1, frames)[0]).toBe('Runtime.callFunctionOn');
    const [received] = deliverInContext(frames) as { payload: Record<string, unknown> }[];
    expect(Object.prototype.hasOwnProperty.call(received?.payload, '__proto__')).toBe(true);
    expect((received?.payload as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

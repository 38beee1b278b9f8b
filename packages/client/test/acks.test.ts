import { describe, expect, it } from 'vitest';
import { createAcknowledger } from '../src/acks.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('acknowledger', () => {
  it('sends at once (one batch per burst) past ackEvery, else after ackDelayMs', async () => {
    const sent: Record<string, number>[] = [];
    const acks = createAcknowledger((batch) => void sent.push(Object.fromEntries(batch)), {
      ackEvery: 100,
      ackDelayMs: 20,
    });
    acks.acknowledge('a', 40);
    acks.acknowledge('b', 5);
    await tick();
    expect(sent).toEqual([]);
    acks.acknowledge('a', 120);
    acks.acknowledge('a', 90); // older than what is queued: ignored
    await tick();
    expect(sent).toEqual([{ a: 120, b: 5 }]);
    acks.acknowledge('a', 150); // 30 past the last sent: waits for the delay
    await tick();
    expect(sent).toHaveLength(1);
    await sleep(40);
    expect(sent).toEqual([{ a: 120, b: 5 }, { a: 150 }]);
  });

  it('keeps one send in flight; what arrives meanwhile goes in the next', async () => {
    const sent: Record<string, number>[] = [];
    const answers: (() => void)[] = [];
    const acks = createAcknowledger(
      (batch) => {
        sent.push(Object.fromEntries(batch));
        return new Promise<void>((resolve) => answers.push(resolve));
      },
      { ackEvery: 10, ackDelayMs: 1_000 },
    );
    acks.acknowledge('a', 10);
    await tick();
    acks.acknowledge('a', 20);
    acks.acknowledge('a', 30);
    await tick();
    expect(sent).toEqual([{ a: 10 }]);
    answers.shift()!();
    await tick();
    expect(sent).toEqual([{ a: 10 }, { a: 30 }]);
    answers.shift()!();
  });

  it('forgets an event and drops everything on reset', async () => {
    const sent: Record<string, number>[] = [];
    const acks = createAcknowledger((batch) => void sent.push(Object.fromEntries(batch)), {
      ackEvery: 100,
      ackDelayMs: 10,
    });
    acks.acknowledge('a', 50);
    acks.forget('a');
    acks.acknowledge('b', 50);
    acks.reset();
    await sleep(30);
    expect(sent).toEqual([]);
    // A forgotten event counts afresh from 0.
    acks.acknowledge('a', 100);
    await tick();
    expect(sent).toEqual([{ a: 100 }]);
  });
});

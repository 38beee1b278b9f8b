/** Flow control with a real `yes` flood: memory stays bounded whatever the client does. */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_LIMITS } from '../../src/index.js';
import { attach, terminalFixture, waitFor } from './helpers.js';

const { highWatermark, maxEventChars, bufferChars } = DEFAULT_FLOW_LIMITS;
const fx = terminalFixture({ limits: { stallMs: 1_000 } });
afterAll(() => fx.cleanup());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flow control', () => {
  it('pauses the PTY while an acknowledging client is a window (EVENT_FLOW.window) behind, resumes on acknowledgement', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const session = fx.manager.session(sessionId)!;
    const client = attach(fx.manager, sessionId, 0, true);
    fx.manager.write(sessionId, 'yes flood\r');
    await waitFor(() => session.paused, 'paused');
    const sent = client.position();
    expect(sent).toBeGreaterThanOrEqual(highWatermark);
    expect(sent).toBeLessThan(highWatermark + maxEventChars);
    await pause(300);
    const end = session.output.end;
    await pause(300);
    // Reading has stopped: `yes` is blocked on a full PTY, nothing more reaches the client.
    expect(session.output.end).toBe(end);
    expect(client.position()).toBe(sent);

    const { pauses } = session.flow;
    expect(pauses).toBeGreaterThanOrEqual(1);
    client.subscription.ack(sent);
    await waitFor(() => client.position() > sent, 'more output after the acknowledgement');
    // The diagnostics count the pause and the 600 ms it lasted.
    expect(session.flow.pausedMs).toBeGreaterThanOrEqual(550);
    expect(session.flow.pauses).toBeGreaterThanOrEqual(pauses);
    for (let i = 0; i < 20; i++) {
      client.subscription.ack(client.position());
      await pause(10);
    }
    fx.manager.write(sessionId, '\x03');
    const ended = client.position();
    client.subscription.ack(ended);
    await waitFor(() => client.text().slice(-2000).includes('^C'), 'Ctrl-C reached the shell');
    fx.manager.close(sessionId);
  });

  it('stops letting a client that no longer acknowledges hold the PTY; the kept output stays bounded', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const session = fx.manager.session(sessionId)!;
    const stuck = attach(fx.manager, sessionId, 0, true);
    fx.manager.write(sessionId, 'yes flood\r');
    await waitFor(() => session.paused, 'paused');
    // After `stallMs` the stuck client counts as gone: the shell runs on, the log wraps.
    await waitFor(() => !session.paused && session.output.start > 0, 'flowing again, log wrapped', 20_000);
    const { start, end } = session.output;
    expect(end - start).toBeLessThanOrEqual(bufferChars);
    expect(stuck.position()).toBeLessThan(highWatermark + maxEventChars);
    // It catches up from what is kept when it acknowledges again.
    stuck.subscription.ack(stuck.position());
    await waitFor(() => stuck.position() >= start, 'stuck client resumed from the log');
    fx.manager.close(sessionId);
  });

  it('holds output for a congested transport until it drains, then continues where it stopped', async () => {
    const { sessionId } = await fx.manager.create({ cwd: fx.work });
    const session = fx.manager.session(sessionId)!;
    const witness = attach(fx.manager, sessionId, 0);
    const slow = attach(fx.manager, sessionId, 0);
    slow.subscription.setCongested(true);
    fx.manager.write(sessionId, "seq -f 'held-%05g' 1 2000; echo held-$((6+6))\r");
    await waitFor(() => session.paused, 'paused by the congested client');
    slow.subscription.setCongested(false);
    await waitFor(() => witness.text().includes('held-12') && slow.position() === witness.position(), 'drained');
    expect(slow.text()).toBe(witness.text());
    fx.manager.close(sessionId);
  });
});

/** The DevTools pipe client: NUL framing, answers by id, events by session, closing. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CdpConnection, CdpSession, NulFrameDecoder } from '../src/index.js';

function pipePair() {
  const toBrowser = new PassThrough();
  const fromBrowser = new PassThrough();
  const sent: Record<string, unknown>[] = [];
  toBrowser.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString('utf8').split('\0').filter(Boolean)) sent.push(JSON.parse(text));
  });
  const connection = new CdpConnection(toBrowser, fromBrowser, { timeoutMs: 200 });
  const reply = (message: unknown) => fromBrowser.write(`${JSON.stringify(message)}\0`);
  return { connection, fromBrowser, sent, reply };
}

describe('NulFrameDecoder', () => {
  it('splits messages across and within chunks, decoding a character split between chunks once whole', () => {
    const decoder = new NulFrameDecoder();
    const bytes = Buffer.from('{"a":"é"}\0{"b":1}\0{"c"', 'utf8');
    const cut = bytes.indexOf(0xa9); // inside the two-byte é
    expect(decoder.push(bytes.subarray(0, cut))).toEqual([]);
    expect(decoder.push(bytes.subarray(cut))).toEqual(['{"a":"é"}', '{"b":1}']);
    expect(decoder.push(Buffer.from(':2}\0'))).toEqual(['{"c":2}']);
  });
});

describe('CdpConnection', () => {
  it('matches answers to commands by id, in any order, and reports protocol errors', async () => {
    const { connection, sent, reply } = pipePair();
    const first = connection.send('Browser.getVersion');
    const second = connection.send('Page.navigate', { url: 'x' }, 'S1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([
      { id: 1, method: 'Browser.getVersion', params: {} },
      { id: 2, method: 'Page.navigate', params: { url: 'x' }, sessionId: 'S1' },
    ]);
    reply({ id: 2, error: { code: -32000, message: 'Cannot navigate' } });
    reply({ id: 1, result: { product: 'Chrome' } });
    await expect(first).resolves.toEqual({ product: 'Chrome' });
    await expect(second).rejects.toThrow('Page.navigate: Cannot navigate');
  });

  it('delivers events to the session they belong to', async () => {
    const { connection, reply } = pipePair();
    const session = new CdpSession(connection, 'S1');
    const got: unknown[] = [];
    session.on('Runtime.bindingCalled', (params) => got.push(params));
    reply({ method: 'Runtime.bindingCalled', params: { payload: 'other' }, sessionId: 'S2' });
    reply({ method: 'Runtime.bindingCalled', params: { payload: 'mine' }, sessionId: 'S1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([{ payload: 'mine' }]);
  });

  it('rejects a command nobody answers, and every pending one when the pipe closes', async () => {
    const { connection, fromBrowser } = pipePair();
    await expect(connection.send('Never.answered')).rejects.toThrow('no answer within 200 ms');
    const pending = connection.send('Pending.one');
    fromBrowser.end();
    await expect(pending).rejects.toThrow('the browser connection closed');
    await connection.closed;
    await expect(connection.send('After.close')).rejects.toThrow('is closed');
  });
});

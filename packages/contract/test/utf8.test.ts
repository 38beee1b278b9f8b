import { describe, expect, it } from 'vitest';
import { completeUtf8Length, createUtf8StreamDecoder } from '../src/index.js';

const oneShot = new TextDecoder();
const newDecoder = () => createUtf8StreamDecoder((bytes) => oneShot.decode(bytes));

/** A deterministic generator, so a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function splitDecode(bytes: Uint8Array, cuts: number[]): { ours: string; pieces: string[] } {
  const decoder = newDecoder();
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(decoder.write(bytes.subarray(start, cut)));
    start = cut;
  }
  pieces.push(decoder.end());
  return { ours: pieces.join(''), pieces };
}

function streamingReference(bytes: Uint8Array, cuts: number[]): string {
  const decoder = new TextDecoder();
  let text = '';
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    text += decoder.decode(bytes.subarray(start, cut), { stream: true });
    start = cut;
  }
  return text + decoder.decode();
}

describe('streaming UTF-8 decoder', () => {
  it('finds where the last complete character ends', () => {
    const bytes = (...values: number[]) => new Uint8Array(values);
    expect(completeUtf8Length(bytes())).toBe(0);
    expect(completeUtf8Length(bytes(0x41, 0x42))).toBe(2);
    expect(completeUtf8Length(bytes(0x41, 0xc3))).toBe(1);
    expect(completeUtf8Length(bytes(0xc3, 0xa9))).toBe(2);
    expect(completeUtf8Length(bytes(0x41, 0xe2, 0x82))).toBe(1);
    expect(completeUtf8Length(bytes(0xe2, 0x82, 0xac))).toBe(3);
    expect(completeUtf8Length(bytes(0xf0, 0x9f, 0x98))).toBe(0);
    expect(completeUtf8Length(bytes(0xf0, 0x9f, 0x98, 0x80))).toBe(4);
    // Bytes that no continuation could make valid are passed on at once.
    expect(completeUtf8Length(bytes(0x41, 0xff))).toBe(2);
    expect(completeUtf8Length(bytes(0x80, 0x80, 0x80, 0x80))).toBe(4);
  });

  it('never splits a character cut between reads', () => {
    const text = 'é€😀 mixed: ascii, Ελληνικά, 日本語, 🎉🎉';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { ours, pieces } = splitDecode(bytes, [cut]);
      expect(ours).toBe(text);
      expect(pieces.join('')).not.toContain('\ufffd');
    }
    // One byte at a time.
    expect(splitDecode(bytes, [...bytes.keys()].slice(1)).ours).toBe(text);
  });

  it('gives exactly what a streaming TextDecoder gives, for random bytes cut at random places', () => {
    const next = random(42);
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let round = 0; round < 2_000; round++) {
      const length = Math.floor(next() * 24);
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++)
        bytes[i] =
          next() < 0.5 ? (interesting[Math.floor(next() * interesting.length)] as number) : Math.floor(next() * 256);
      const cuts = [
        ...new Set(Array.from({ length: Math.floor(next() * 5) }, () => Math.floor(next() * (length + 1)))),
      ].sort((a, b) => a - b);
      expect(splitDecode(bytes, cuts).ours).toBe(streamingReference(bytes, cuts));
    }
  });

  it('ends an incomplete character as U+FFFD', () => {
    const decoder = newDecoder();
    expect(decoder.write(new Uint8Array([0x41, 0xe2, 0x82]))).toBe('A');
    expect(decoder.end()).toBe('\ufffd');
    expect(decoder.end()).toBe('');
  });
});

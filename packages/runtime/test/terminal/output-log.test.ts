import { describe, expect, it } from 'vitest';
import { OutputLog } from '../../src/terminal/output-log.js';

describe('OutputLog', () => {
  it('addresses output by position and reads any suffix', () => {
    const log = new OutputLog(100);
    log.append('hello ');
    log.append('world');
    expect(log.end).toBe(11);
    expect(log.read(0)).toBe('hello world');
    expect(log.read(6)).toBe('world');
    expect(log.read(3, 4)).toBe('lo w');
    expect(log.read(11)).toBe('');
  });

  it('keeps only the newest `capacity` characters; older positions read from the oldest kept', () => {
    const log = new OutputLog(10);
    for (let i = 0; i < 5000; i++) log.append(String(i % 10));
    expect(log.size).toBe(10);
    expect(log.start).toBe(4990);
    expect(log.read(0)).toBe('0123456789');
    expect(log.read(4995)).toBe('56789');
  });

  it('never ends a read, or starts the kept output, inside a surrogate pair', () => {
    const log = new OutputLog(6);
    log.append('ab😀cd');
    expect(log.read(0, 3)).toBe('ab');
    expect(log.read(2, 2)).toBe('😀');
    const small = new OutputLog(5);
    small.append('a😀bc');
    small.append('de');
    // keeping 5 would keep the low half of the emoji only; the pair is dropped whole
    expect(small.read(0)).toBe('bcde');
  });
});

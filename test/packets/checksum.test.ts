import { describe, expect, it } from 'vitest';
import { finishChecksum, internetChecksum, onesSum, pseudoHeaderSum } from '../../src/packets/checksum.js';

describe('internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    const data = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(onesSum(data)).toBe(0x2ddf0);
    expect(internetChecksum(data)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56, 0x00)));
  });

  it('checks to zero once the checksum is inserted', () => {
    const data = Uint8Array.of(0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x00, 0x40, 0x11, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2);
    const c = internetChecksum(data);
    data[10] = c >>> 8;
    data[11] = c & 0xff;
    expect(internetChecksum(data)).toBe(0);
  });

  it('folds large sums and the pseudo-header', () => {
    expect(finishChecksum(0xffff)).toBe(0);
    expect(finishChecksum(0x1fffe)).toBe(0);
    expect(pseudoHeaderSum(0x0a000001, 0xffffffff, 17, 8)).toBe(0x0a00 + 0x0001 + 0xffff + 0xffff + 17 + 8);
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/controller/token-buckets.js';

describe('TokenBuckets', () => {
  it('lets a burst through, then the rate, per key', () => {
    let now = 0;
    const b = new TokenBuckets(5, 3, () => now);
    expect([1, 2, 3, 4].map(() => b.take('a'))).toEqual([true, true, true, false]);
    expect(b.take('b')).toBe(true); // another port has its own bucket
    now += 200; // 5/s: one token back
    expect([b.take('a'), b.take('a')]).toEqual([true, false]);
  });

  it('never holds more than the burst, and forgets keys idle long enough to be full', () => {
    let now = 0;
    const b = new TokenBuckets(10, 2, () => now);
    for (let i = 0; i < 100; i++) b.take(`k${i}`);
    expect(b.size).toBe(100);
    now += 60_000;
    expect([b.take('k0'), b.take('k0'), b.take('k0')]).toEqual([true, true, false]);
    expect(b.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalMac, randomMac } from '../../src/store/mac.js';

describe('MAC addresses', () => {
  it('writes MACs lower-case and refuses multicast, zero and malformed ones', () => {
    expect(canonicalMac('FA:16:3E:0A:0B:0C')).toBe('fa:16:3e:0a:0b:0c');
    expect(canonicalMac('01:00:5e:00:00:01')).toBeUndefined();
    expect(canonicalMac('00:00:00:00:00:00')).toBeUndefined();
    expect(canonicalMac('fa:16:3e:0a:0b')).toBeUndefined();
    expect(canonicalMac('fa:16:3e:0a:0b:zz')).toBeUndefined();
  });

  it('generates MACs under the prefix that differ from each other', () => {
    const macs = new Set(Array.from({ length: 2000 }, () => randomMac('fa:16:3e')));
    expect([...macs].every((m) => /^fa:16:3e(:[0-9a-f]{2}){3}$/.test(m))).toBe(true);
    expect(macs.size).toBeGreaterThan(1990); // 2000 draws from 2^24: a handful of collisions at most
  });
});

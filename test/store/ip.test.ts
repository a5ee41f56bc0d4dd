import { describe, expect, it } from 'vitest';
import { canonicalIp, cidrsOverlap, formatCidr, parseCidr } from '../../src/store/ip.js';

describe('addresses and CIDRs', () => {
  it('writes IPv6 in RFC 5952 form and IPv4 as a dotted quad', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('::ffff:c000:201')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('fe80:0:0:0:1:1:1:1')).toBe('fe80::1:1:1:1');
    expect(canonicalIp('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2:3:4:5:6');
    expect(canonicalIp('2001:db8:5:0:1:2:3:4')).toBe('2001:db8:5:0:1:2:3:4'); // one zero group stays
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '', '10.0.0.1 ']) {
      expect(canonicalIp(bad), bad).toBeUndefined();
    }
  });

  it('parses CIDRs, refusing host bits unless asked, and detects overlap', () => {
    expect(parseCidr('10.0.0.5/24')).toBeUndefined();
    expect(formatCidr(parseCidr('10.0.0.5/24', { allowHostBits: true })!)).toBe('10.0.0.0/24');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    const a = parseCidr('10.0.0.0/16')!;
    expect(cidrsOverlap(a, parseCidr('10.0.255.0/24')!)).toBe(true);
    expect(cidrsOverlap(a, parseCidr('10.1.0.0/24')!)).toBe(false);
    expect(cidrsOverlap(parseCidr('::/0')!, a)).toBe(false);
  });
});

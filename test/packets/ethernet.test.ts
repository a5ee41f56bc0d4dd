import { describe, expect, it } from 'vitest';
import { PacketError } from '../../src/packets/errors.js';
import { buildEthernet, ETH_TYPE_IPV4, parseEthernet, type EthernetFrame } from '../../src/packets/ethernet.js';
import { mac } from '../../src/packets/index.js';

const base: EthernetFrame = { dst: mac('ff:ff:ff:ff:ff:ff'), src: mac('fa:16:3e:12:34:56'), etherType: ETH_TYPE_IPV4, payload: Uint8Array.of(1, 2, 3) };

describe('Ethernet II', () => {
  it('round-trips an untagged frame byte for byte', () => {
    const bytes = buildEthernet(base);
    expect(bytes.toString('hex')).toBe('fffffffffffffa163e1234560800010203');
    const back = parseEthernet(bytes);
    expect({ ...back, payload: [...back.payload] }).toEqual({ ...base, payload: [1, 2, 3] });
    expect('vlan' in back).toBe(false);
  });

  it('round-trips one 802.1Q tag', () => {
    const tagged: EthernetFrame = { ...base, vlan: { pcp: 5, dei: true, vid: 4094 } };
    const bytes = buildEthernet(tagged);
    expect(bytes.subarray(12, 18).toString('hex')).toBe('8100bffe0800');
    const back = parseEthernet(bytes);
    expect(back.vlan).toEqual({ pcp: 5, dei: true, vid: 4094 });
    expect(back.etherType).toBe(ETH_TYPE_IPV4);
    expect(Buffer.from(back.payload)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('keeps the largest MAC exact', () => {
    const back = parseEthernet(buildEthernet({ ...base, src: 0xfeffffffffff }));
    expect(back.src).toBe(0xfeffffffffff);
  });

  it('rejects every truncation with a PacketError', () => {
    const bytes = buildEthernet({ ...base, vlan: { pcp: 0, dei: false, vid: 10 }, payload: new Uint8Array(0) });
    for (let n = 0; n < bytes.length; n++) {
      expect(() => parseEthernet(bytes.subarray(0, n)), `length ${n}`).toThrow(PacketError);
    }
    expect(() => parseEthernet(bytes.subarray(0, 13))).toThrow(/truncated Ethernet header/);
    expect(() => parseEthernet(bytes.subarray(0, 16))).toThrow(/truncated 802.1Q tag/);
  });

  it('rejects an 802.3 length field', () => {
    const bytes = buildEthernet({ ...base, etherType: 0x0100 });
    expect(() => parseEthernet(bytes)).toThrow(/not an Ethernet II frame/);
  });

  it('refuses to build impossible fields', () => {
    expect(() => buildEthernet({ ...base, src: 2 ** 48 })).toThrow(PacketError);
    expect(() => buildEthernet({ ...base, vlan: { pcp: 0, dei: false, vid: 4096 } })).toThrow(PacketError);
  });
});

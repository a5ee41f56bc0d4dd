import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packets/checksum.js';
import { PacketError } from '../../src/packets/errors.js';
import { ipv4 } from '../../src/packets/index.js';
import { buildIpv4, IP_PROTO_UDP, isFragment, parseIpv4, type Ipv4Packet } from '../../src/packets/ipv4.js';

const packet: Ipv4Packet = {
  tos: 0x10,
  id: 0x1234,
  flags: 2,
  fragmentOffset: 0,
  ttl: 64,
  protocol: IP_PROTO_UDP,
  src: ipv4('10.0.0.2'),
  dst: ipv4('255.255.255.255'),
  payload: Uint8Array.of(9, 8, 7),
};

/** Recomputes the header checksum after a test edits the header. */
function fixChecksum(b: Buffer): Buffer {
  const hl = (b[0] & 15) * 4;
  b.writeUInt16BE(0, 10);
  b.writeUInt16BE(internetChecksum(b, 0, hl), 10);
  return b;
}

describe('IPv4', () => {
  it('round-trips, with a header checksum that verifies', () => {
    const bytes = buildIpv4(packet);
    expect(bytes.length).toBe(23);
    expect(internetChecksum(bytes, 0, 20)).toBe(0);
    const back = parseIpv4(bytes);
    expect({ ...back, payload: [...back.payload] }).toEqual({ ...packet, payload: [9, 8, 7] });
    expect(isFragment(back)).toBe(false);
  });

  it('matches a header checksum computed by hand (Wikipedia example)', () => {
    const hdr = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(internetChecksum(hdr)).toBe(0xb861);
  });

  it('rejects a wrong header checksum with a clear message', () => {
    const bytes = buildIpv4(packet);
    bytes[10] ^= 0x01;
    expect(() => parseIpv4(bytes)).toThrow(PacketError);
    expect(() => parseIpv4(bytes)).toThrow(/bad IPv4 header checksum 0x[0-9a-f]{4} \(at byte 10\)/);
  });

  it('skips options by IHL and cuts Ethernet padding by total length', () => {
    const plain = buildIpv4(packet);
    const withOptions = Buffer.concat([plain.subarray(0, 20), Buffer.from([1, 1, 1, 0]), plain.subarray(20), Buffer.alloc(10)]);
    withOptions[0] = 0x46;
    withOptions.writeUInt16BE(27, 2);
    const back = parseIpv4(fixChecksum(withOptions));
    expect([...back.payload]).toEqual([9, 8, 7]);
  });

  it('flags fragments', () => {
    expect(isFragment(parseIpv4(buildIpv4({ ...packet, flags: 1 })))).toBe(true);
    expect(isFragment(parseIpv4(buildIpv4({ ...packet, flags: 0, fragmentOffset: 3 })))).toBe(true);
  });

  it('rejects malformed headers with a PacketError', () => {
    const cases: Array<[string, (b: Buffer) => void, RegExp]> = [
      ['version 6', (b) => (b[0] = 0x65), /version field is 6/],
      ['IHL 4', (b) => (b[0] = 0x44), /header length 16 below 20/],
      ['IHL beyond the data', (b) => (b[0] = 0x4f), /truncated IPv4 header with options/],
      ['total length below header', (b) => b.writeUInt16BE(19, 2), /total length 19 below header length 20/],
      ['total length beyond the data', (b) => b.writeUInt16BE(24, 2), /total length 24 exceeds the 23 bytes/],
    ];
    for (const [name, edit, re] of cases) {
      const b = buildIpv4(packet);
      edit(b);
      expect(() => parseIpv4(fixChecksum(b)), name).toThrow(re);
    }
  });

  it('rejects every truncation with a PacketError', () => {
    const bytes = buildIpv4(packet);
    for (let n = 0; n < bytes.length; n++) expect(() => parseIpv4(bytes.subarray(0, n)), `length ${n}`).toThrow(PacketError);
  });

  it('refuses addresses that are not 32-bit', () => {
    expect(() => buildIpv4({ ...packet, src: -1 })).toThrow(PacketError);
    expect(() => buildIpv4({ ...packet, dst: 2 ** 32 })).toThrow(PacketError);
  });
});

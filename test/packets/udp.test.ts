import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packets/checksum.js';
import { PacketError } from '../../src/packets/errors.js';
import { formatIpv4, formatMac, ipv4, mac } from '../../src/packets/index.js';
import { buildUdp, parseUdp } from '../../src/packets/udp.js';
import { buildUdpFrame, parseUdpFrame } from '../../src/packets/udp-frame.js';

const src = ipv4('192.168.0.1');
const dst = ipv4('192.168.0.199');

describe('UDP', () => {
  it('round-trips with a checksum that verifies', () => {
    const bytes = buildUdp({ srcPort: 68, dstPort: 67, payload: Uint8Array.of(1, 2, 3, 4, 5) }, src, dst);
    expect(bytes.readUInt16BE(4)).toBe(13);
    const back = parseUdp(bytes, src, dst);
    expect(back).toMatchObject({ srcPort: 68, dstPort: 67, checksumOk: true });
    expect([...back.payload]).toEqual([1, 2, 3, 4, 5]);
  });

  it('computes the checksum over the pseudo-header (known value)', () => {
    // 0.0.0.0:68 -> 255.255.255.255:67, payload 0x0101. By hand: header 0x0044+0x0043+0x000a, payload 0x0101,
    // pseudo-header 0xffff+0xffff+0x0011+0x000a: 0x201ab, folded 0x01ad, complemented 0xfe52.
    const bytes = buildUdp({ srcPort: 68, dstPort: 67, payload: Uint8Array.of(1, 1) }, 0, 0xffffffff);
    expect(bytes.readUInt16BE(6)).toBe(0xfe52);
  });

  it('accepts a zero checksum and reports a wrong one without throwing', () => {
    const bytes = buildUdp({ srcPort: 1, dstPort: 2, payload: Uint8Array.of(7) }, src, dst);
    bytes.writeUInt16BE(0, 6);
    expect(parseUdp(bytes, src, dst)).toMatchObject({ checksum: 0, checksumOk: true });
    bytes.writeUInt16BE(0x1234, 6);
    expect(parseUdp(bytes, src, dst)).toMatchObject({ checksum: 0x1234, checksumOk: false });
    // A right checksum for other addresses is wrong for these.
    const other = buildUdp({ srcPort: 1, dstPort: 2, payload: Uint8Array.of(7) }, src, src);
    expect(parseUdp(other, src, dst).checksumOk).toBe(false);
  });

  it('sends a computed zero checksum as 0xffff', () => {
    // Pick the payload so the sum is 0xffff: the checksum would be 0 and must go out as 0xffff.
    const probe = buildUdp({ srcPort: 0, dstPort: 0, payload: Uint8Array.of(0, 0) }, 0, 0);
    const c = probe.readUInt16BE(6);
    const bytes = buildUdp({ srcPort: 0, dstPort: 0, payload: Uint8Array.of(c >>> 8, c & 0xff) }, 0, 0);
    expect(bytes.readUInt16BE(6)).toBe(0xffff);
    expect(parseUdp(bytes, 0, 0).checksumOk).toBe(true);
  });

  it('rejects bad lengths and truncations with a PacketError', () => {
    const bytes = buildUdp({ srcPort: 1, dstPort: 2, payload: Uint8Array.of(1, 2) }, src, dst);
    for (let n = 0; n < bytes.length; n++) expect(() => parseUdp(bytes.subarray(0, n), src, dst), `length ${n}`).toThrow(PacketError);
    const short = Buffer.from(bytes);
    short.writeUInt16BE(7, 4);
    expect(() => parseUdp(short, src, dst)).toThrow(/UDP length 7 below 8/);
    // Bytes after the UDP length (IPv4 padding) are not payload.
    const padded = Buffer.concat([bytes, Buffer.from([0xee])]);
    expect([...parseUdp(padded, src, dst).payload]).toEqual([1, 2]);
  });
});

describe('Ethernet/IPv4/UDP frames', () => {
  const spec = { ethSrc: mac('fa:16:3e:00:00:02'), ethDst: mac('fa:16:3e:12:34:56'), ipSrc: src, ipDst: dst, srcPort: 67, dstPort: 68, payload: Buffer.from('hello') };

  it('round-trips through all three layers', () => {
    const f = parseUdpFrame(buildUdpFrame(spec));
    expect(formatMac(f.eth.src)).toBe('fa:16:3e:00:00:02');
    expect(formatIpv4(f.ip.dst)).toBe('192.168.0.199');
    expect(f.ip.ttl).toBe(64);
    expect(f.udp).toMatchObject({ srcPort: 67, dstPort: 68, checksumOk: true });
    expect(Buffer.from(f.udp.payload).toString()).toBe('hello');
  });

  it('rejects other protocols and fragments with a PacketError', () => {
    const frame = buildUdpFrame(spec);
    const arp = Buffer.from(frame);
    arp.writeUInt16BE(0x0806, 12);
    expect(() => parseUdpFrame(arp)).toThrow(/EtherType 0x0806 is not IPv4/);
    const tcp = Buffer.from(frame);
    tcp[14 + 9] = 6;
    tcp.writeUInt16BE(0, 14 + 10);
    tcp.writeUInt16BE(internetChecksum(tcp, 14, 34), 14 + 10);
    expect(() => parseUdpFrame(tcp)).toThrow(/IP protocol 6 is not UDP/);
    for (let n = 0; n < frame.length; n++) expect(() => parseUdpFrame(frame.subarray(0, n)), `length ${n}`).toThrow(PacketError);
  });
});

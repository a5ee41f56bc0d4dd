import { need, putU16, putU32, u16, u32 } from './bytes.js';
import { internetChecksum } from './checksum.js';
import { PacketError } from './errors.js';

/** IPv4 header codec (RFC 791). Addresses are 32-bit unsigned numbers, as in the OpenFlow codec. */

export const IP_PROTO_UDP = 17;
export const IPV4_BROADCAST = 0xffffffff;

export interface Ipv4Packet {
  /** DSCP and ECN bits (the old TOS byte). */
  tos: number;
  id: number;
  /** The 3 flag bits: 0b010 = don't fragment, 0b001 = more fragments. */
  flags: number;
  /** In 8-byte units. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: number;
  dst: number;
  /** Exactly total length minus header: Ethernet padding after the packet is cut off. Options are skipped. */
  payload: Uint8Array;
}

/** True for any fragment but a whole datagram: its payload is not a complete UDP datagram. */
export function isFragment(p: Ipv4Packet): boolean {
  return (p.flags & 1) !== 0 || p.fragmentOffset !== 0;
}

export function parseIpv4(bytes: Uint8Array): Ipv4Packet {
  need(bytes, 0, 20, 'IPv4 header');
  const version = bytes[0] >>> 4;
  if (version !== 4) throw new PacketError(`IPv4 version field is ${version}`, 0);
  const headerLen = (bytes[0] & 0x0f) * 4;
  if (headerLen < 20) throw new PacketError(`IPv4 header length ${headerLen} below 20`, 0);
  need(bytes, 0, headerLen, 'IPv4 header with options');
  const totalLen = u16(bytes, 2);
  if (totalLen < headerLen) throw new PacketError(`IPv4 total length ${totalLen} below header length ${headerLen}`, 2);
  if (totalLen > bytes.length) throw new PacketError(`IPv4 total length ${totalLen} exceeds the ${bytes.length} bytes received`, 2);
  // Summing a header that carries its checksum gives 0 when it is right.
  if (internetChecksum(bytes, 0, headerLen) !== 0) {
    throw new PacketError(`bad IPv4 header checksum 0x${u16(bytes, 10).toString(16).padStart(4, '0')}`, 10);
  }
  const frag = u16(bytes, 6);
  return {
    tos: bytes[1],
    id: u16(bytes, 4),
    flags: frag >>> 13,
    fragmentOffset: frag & 0x1fff,
    ttl: bytes[8],
    protocol: bytes[9],
    src: u32(bytes, 12),
    dst: u32(bytes, 16),
    payload: bytes.subarray(headerLen, totalLen),
  };
}

function checkU32(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new PacketError(`${what} ${v} is not an IPv4 address`);
}

/** Builds a 20-byte header (no options) with its checksum, followed by the payload. */
export function buildIpv4(p: Ipv4Packet): Buffer {
  checkU32(p.src, 'source');
  checkU32(p.dst, 'destination');
  const total = 20 + p.payload.length;
  if (total > 0xffff) throw new PacketError(`IPv4 packet of ${total} bytes exceeds 65535`);
  const out = Buffer.alloc(total);
  out[0] = 0x45;
  out[1] = p.tos;
  putU16(out, 2, total);
  putU16(out, 4, p.id);
  putU16(out, 6, ((p.flags & 7) << 13) | (p.fragmentOffset & 0x1fff));
  out[8] = p.ttl;
  out[9] = p.protocol;
  putU32(out, 12, p.src);
  putU32(out, 16, p.dst);
  putU16(out, 10, internetChecksum(out, 0, 20));
  out.set(p.payload, 20);
  return out;
}

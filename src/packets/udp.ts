import { need, putU16, u16 } from './bytes.js';
import { finishChecksum, onesSum, pseudoHeaderSum } from './checksum.js';
import { PacketError } from './errors.js';
import { IP_PROTO_UDP } from './ipv4.js';

/** UDP over IPv4 (RFC 768); the checksum covers the IPv4 pseudo-header, so parse and build take the addresses. */

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  /** Exactly the UDP length minus the 8-byte header. */
  payload: Uint8Array;
}

export interface ParsedUdp extends UdpDatagram {
  /** The checksum field as received (0 = the sender computed none). */
  checksum: number;
  /**
   * True when the checksum is absent (0) or right. A wrong one is not an error: with tx checksum offload a VM's
   * packets reach OVS over veth/tap with only the partial (pseudo-header) sum filled in.
   */
  checksumOk: boolean;
}

function udpSum(src: number, dst: number, datagram: Uint8Array, length: number): number {
  return onesSum(datagram, 0, length, pseudoHeaderSum(src, dst, IP_PROTO_UDP, length));
}

/** `bytes` is the IPv4 payload; `src`/`dst` are the IPv4 addresses. */
export function parseUdp(bytes: Uint8Array, src: number, dst: number): ParsedUdp {
  need(bytes, 0, 8, 'UDP header');
  const length = u16(bytes, 4);
  if (length < 8) throw new PacketError(`UDP length ${length} below 8`, 4);
  if (length > bytes.length) throw new PacketError(`UDP length ${length} exceeds the ${bytes.length} bytes of the IPv4 payload`, 4);
  const checksum = u16(bytes, 6);
  const checksumOk = checksum === 0 || finishChecksum(udpSum(src, dst, bytes, length)) === 0;
  return { srcPort: u16(bytes, 0), dstPort: u16(bytes, 2), checksum, checksumOk, payload: bytes.subarray(8, length) };
}

export function buildUdp(d: UdpDatagram, src: number, dst: number): Buffer {
  const length = 8 + d.payload.length;
  if (length > 0xffff) throw new PacketError(`UDP datagram of ${length} bytes exceeds 65535`);
  const out = Buffer.alloc(length);
  putU16(out, 0, d.srcPort);
  putU16(out, 2, d.dstPort);
  putU16(out, 4, length);
  out.set(d.payload, 8);
  // A computed 0 is sent as 0xffff: 0 on the wire means "no checksum" (RFC 768).
  putU16(out, 6, finishChecksum(udpSum(src, dst, out, length)) || 0xffff);
  return out;
}

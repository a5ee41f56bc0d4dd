import { finishChecksum, onesSum, pseudoHeaderSum } from '../../src/packets/checksum.js';
import { buildIpv4 } from '../../src/packets/ipv4.js';
import { buildUdp } from '../../src/packets/udp.js';
import { ipv4, ipv6, mac } from '../../src/openflow/oxm/addresses.js';

/** Hand-made Ethernet frames for the packet-summary tests (checksums right unless a test spoils them). */

export const VM_MAC = mac('fa:16:3e:11:22:33');
export const GW_MAC = mac('fa:16:3e:aa:bb:cc');
export const BCAST = mac('ff:ff:ff:ff:ff:ff');
export const VM_IP = ipv4('10.0.0.5');
export const GW_IP = ipv4('10.0.0.1');
export const VM_IP6 = ipv6('fd00::f816:3eff:fe11:2233');
export const GW_IP6 = ipv6('fe80::f816:3eff:feaa:bbcc');

const u16 = (v: number) => [v >>> 8, v & 0xff];
const macBytes = (m: number) => Buffer.from(m.toString(16).padStart(12, '0'), 'hex');
const v6Bytes = (a: bigint) => Buffer.from(a.toString(16).padStart(32, '0'), 'hex');

/** Ethernet header, with one 802.1Q tag per TCI given (TPID 0x8100), then the payload. */
export function eth(dst: number, src: number, type: number, payload: Uint8Array, tcis: number[] = []): Buffer {
  const tags = tcis.flatMap((t) => [0x81, 0x00, ...u16(t)]);
  return Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([...tags, ...u16(type)]), payload]);
}

export function arp(op: number, sha: number, spa: number, tha: number, tpa: number): Buffer {
  const b = Buffer.alloc(28);
  b.set([0, 1, 8, 0, 6, 4, ...u16(op)]);
  macBytes(sha).copy(b, 8);
  b.writeUInt32BE(spa, 14);
  macBytes(tha).copy(b, 18);
  b.writeUInt32BE(tpa, 24);
  return b;
}

export interface Ip4Opts {
  src?: number;
  dst?: number;
  tos?: number;
  ttl?: number;
  flags?: number;
  fragmentOffset?: number;
}

export function ip4(protocol: number, payload: Uint8Array, o: Ip4Opts = {}): Buffer {
  return buildIpv4({ tos: o.tos ?? 0, id: 0x1234, flags: o.flags ?? 0, fragmentOffset: o.fragmentOffset ?? 0, ttl: o.ttl ?? 64, protocol, src: o.src ?? VM_IP, dst: o.dst ?? GW_IP, payload });
}

export function udp4(srcPort: number, dstPort: number, payload: Uint8Array, src = VM_IP, dst = GW_IP): Buffer {
  return buildUdp({ srcPort, dstPort, payload }, src, dst);
}

/** A TCP header without options; `flags` is the 12-bit NS…FIN field. */
export function tcp(srcPort: number, dstPort: number, flags: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(20 + payload.length);
  b.writeUInt16BE(srcPort, 0);
  b.writeUInt16BE(dstPort, 2);
  b.writeUInt32BE(1000, 4);
  b.writeUInt16BE((5 << 12) | flags, 12);
  b.writeUInt16BE(64240, 14);
  b.set(payload, 20);
  return b;
}

/** Fills in the TCP or UDP checksum over the IPv4 pseudo-header. */
export function withL4Checksum4(seg: Buffer, protocol: number, src = VM_IP, dst = GW_IP): Buffer {
  const at = protocol === 6 ? 16 : 6;
  seg.writeUInt16BE(0, at);
  seg.writeUInt16BE(finishChecksum(onesSum(seg, 0, seg.length, pseudoHeaderSum(src, dst, protocol, seg.length))), at);
  return seg;
}

/** ICMP (v4 or v6) message: type, code, checksum, then `rest`; the v4 checksum is computed here. */
export function icmp(type: number, code: number, rest: Uint8Array): Buffer {
  const b = Buffer.concat([Buffer.from([type, code, 0, 0]), rest]);
  b.writeUInt16BE(finishChecksum(onesSum(b)), 2);
  return b;
}

export interface Ip6Opts {
  src?: bigint;
  dst?: bigint;
  trafficClass?: number;
  flowLabel?: number;
  hopLimit?: number;
}

export function ip6(nextHeader: number, payload: Uint8Array, o: Ip6Opts = {}): Buffer {
  const b = Buffer.alloc(40);
  b.writeUInt32BE(((6 << 28) | ((o.trafficClass ?? 0) << 20) | (o.flowLabel ?? 0)) >>> 0, 0);
  b.writeUInt16BE(payload.length, 4);
  b[6] = nextHeader;
  b[7] = o.hopLimit ?? 255;
  v6Bytes(o.src ?? VM_IP6).copy(b, 8);
  v6Bytes(o.dst ?? GW_IP6).copy(b, 24);
  return Buffer.concat([b, payload]);
}

/** Computes the checksum of an ICMPv6 / TCP / UDP segment carried in `packet` (an IPv6 packet without extension headers). */
export function withChecksum6(packet: Buffer): Buffer {
  const proto = packet[6];
  const seg = packet.subarray(40);
  const at = proto === 6 ? 16 : proto === 17 ? 6 : 2;
  seg.writeUInt16BE(0, at);
  let sum = onesSum(packet, 8, 40) + (seg.length >>> 16) + (seg.length & 0xffff) + proto;
  sum = onesSum(seg, 0, seg.length, sum);
  seg.writeUInt16BE(finishChecksum(sum), at);
  return packet;
}

/** Neighbour solicitation (135) or advertisement (136) for `target`, with link-layer address options [type, mac]. */
export function nd(type: 135 | 136, target: bigint, options: Array<[number, number]>): Buffer {
  const opts = options.map(([t, m]) => Buffer.concat([Buffer.from([t, 1]), macBytes(m)]));
  const flags = type === 136 ? Buffer.from([0x60, 0, 0, 0]) : Buffer.alloc(4);
  return Buffer.concat([Buffer.from([type, 0, 0, 0]), flags, v6Bytes(target), ...opts]);
}

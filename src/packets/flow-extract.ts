import { readMac, u16, u32 } from './bytes.js';

/**
 * The header fields Open vSwitch extracts from an Ethernet frame (its `flow_extract`), with OVS's rules for
 * short and odd frames: a layer that does not fit leaves its fields (and everything above it) zero, nothing
 * is validated beyond what OVS checks (no checksums, no IP version nibble), and it never throws. This is
 * what `ovs-ofctl ofp-print` describes under a packet-in or packet-out (see openflow/text/packet-summary.ts).
 *
 * The strict parsers next to this file (parseEthernet, parseIpv4, …) are for frames the controller answers:
 * they refuse what OVS accepts (bad header checksums, LLC/SNAP, a second VLAN tag), so they are not used here.
 */

export const NW_FRAG_ANY = 1;
export const NW_FRAG_LATER = 2;

export interface PacketFlow {
  dlDst: number;
  dlSrc: number;
  /** 0 when the frame is shorter than an Ethernet header; 0x05ff for 802.3 frames without an Ethernet SNAP header. */
  dlType: number;
  /** TCIs of up to two VLAN tags (0x8100 or 0x88a8), each with the CFI bit (0x1000) set as OVS marks a present tag. */
  vlans: number[];
  /** Up to three MPLS label stack entries, outermost first. */
  mpls: number[];
  /** IPv4 addresses, or ARP's sender and target protocol addresses. */
  nwSrc: number;
  nwDst: number;
  ipv6Src: bigint;
  ipv6Dst: bigint;
  ipv6Label: number;
  /** IP protocol (the last IPv6 next-header; 44 in a later IPv6 fragment), or the ARP opcode when it fits 8 bits. */
  nwProto: number;
  /** The whole IPv4 TOS / IPv6 traffic class byte (DSCP and ECN). */
  nwTos: number;
  nwTtl: number;
  /** NW_FRAG_ANY for any fragment, plus NW_FRAG_LATER when it is not the first. */
  nwFrag: number;
  /** Ports, or ICMP/ICMPv6/IGMP type (tpSrc) and code (tpDst). */
  tpSrc: number;
  tpDst: number;
  tcpFlags: number;
  /** ARP sender/target hardware addresses, or the ND source/target link-layer address options. */
  arpSha: number;
  arpTha: number;
  ndTarget: bigint;
  igmpGroup: number;
  /** Network Service Header fields (all zero when the header does not parse). */
  nsh: NshFields;
  /** The transport bytes (IP padding excluded) once the IP headers parsed; undefined otherwise. */
  l4?: Uint8Array;
}

export interface NshFields {
  flags: number;
  ttl: number;
  mdType: number;
  nextProto: number;
  spi: number;
  si: number;
  /** The four MD type 1 context words (zero for other MD types). */
  context: number[];
}

const ETH_TYPE_IPV4 = 0x0800;
export const ETH_TYPE_NSH = 0x894f;
const ETH_TYPE_IPV6 = 0x86dd;
const ETH_TYPE_MIN = 0x0600;
/** OVS's dl_type for 802.3 frames that carry no EtherType. */
export const DL_TYPE_NONE = 0x05ff;

export function isArpType(t: number): boolean {
  return t === 0x0806 || t === 0x8035;
}

export function isMplsType(t: number): boolean {
  return t === 0x8847 || t === 0x8848;
}

function emptyFlow(): PacketFlow {
  return {
    dlDst: 0, dlSrc: 0, dlType: 0, vlans: [], mpls: [], nwSrc: 0, nwDst: 0, ipv6Src: 0n, ipv6Dst: 0n, ipv6Label: 0,
    nwProto: 0, nwTos: 0, nwTtl: 0, nwFrag: 0, tpSrc: 0, tpDst: 0, tcpFlags: 0, arpSha: 0, arpTha: 0, ndTarget: 0n, igmpGroup: 0,
    nsh: { flags: 0, ttl: 0, mdType: 0, nextProto: 0, spi: 0, si: 0, context: [0, 0, 0, 0] },
  };
}

function u128(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(u32(b, at + 4 * i));
  return v;
}

export function extractFlow(frame: Uint8Array): PacketFlow {
  const f = emptyFlow();
  if (frame.length < 14) return f;
  f.dlDst = readMac(frame, 0);
  f.dlSrc = readMac(frame, 6);
  let at = 12;
  // A tag is taken only when its 4 bytes and the next EtherType are all there.
  while (f.vlans.length < 2 && (u16(frame, at) === 0x8100 || u16(frame, at) === 0x88a8) && frame.length - at >= 6) {
    f.vlans.push(u16(frame, at + 2) | 0x1000);
    at += 4;
  }
  [f.dlType, at] = etherType(frame, at);
  if (isMplsType(f.dlType)) {
    for (; frame.length - at >= 4; at += 4) {
      if (f.mpls.length < 3) f.mpls.push(u32(frame, at));
      if (frame[at + 2] & 1) break;
    }
    return f;
  }
  if (f.dlType === ETH_TYPE_IPV4) ipv4(f, frame, at);
  else if (f.dlType === ETH_TYPE_IPV6) ipv6(f, frame, at);
  else if (isArpType(f.dlType)) arp(f, frame, at);
  else if (f.dlType === ETH_TYPE_NSH) nsh(f, frame, at);
  return f;
}

function nsh(f: PacketFlow, b: Uint8Array, at: number): void {
  const rest = b.length - at;
  if (rest < 8) return;
  const word = u16(b, at);
  const len = (word & 0x3f) * 4;
  const mdType = b[at + 2];
  if (len > rest || word >>> 14 !== 0 || (mdType === 1 && len !== 24) || (mdType === 2 && len < 8)) return;
  const path = u32(b, at + 4);
  const context = mdType === 1 ? [0, 1, 2, 3].map((i) => u32(b, at + 8 + 4 * i)) : [0, 0, 0, 0];
  f.nsh = { flags: (word >>> 12) & 3, ttl: (word >>> 6) & 0x3f, mdType, nextProto: b[at + 3], spi: path >>> 8, si: path & 0xff, context };
}

/** The EtherType at `at` (looking through an LLC/SNAP header) and where the payload starts. */
function etherType(b: Uint8Array, at: number): [number, number] {
  const t = u16(b, at);
  if (t >= ETH_TYPE_MIN) return [t, at + 2];
  const p = at + 2;
  const snap = b.length - p >= 8 && b[p] === 0xaa && b[p + 1] === 0xaa && b[p + 2] === 0x03 && b[p + 3] === 0 && b[p + 4] === 0 && b[p + 5] === 0;
  if (!snap) return [DL_TYPE_NONE, p];
  const inner = u16(b, p + 6);
  return [inner >= ETH_TYPE_MIN ? inner : DL_TYPE_NONE, p + 8];
}

function arp(f: PacketFlow, b: Uint8Array, at: number): void {
  if (b.length - at < 28) return;
  if (u16(b, at) !== 1 || u16(b, at + 2) !== ETH_TYPE_IPV4 || b[at + 4] !== 6 || b[at + 5] !== 4) return;
  const op = u16(b, at + 6);
  if (op <= 0xff) f.nwProto = op;
  f.arpSha = readMac(b, at + 8);
  f.nwSrc = u32(b, at + 14);
  f.arpTha = readMac(b, at + 18);
  f.nwDst = u32(b, at + 24);
}

function ipv4(f: PacketFlow, b: Uint8Array, at: number): void {
  const rest = b.length - at;
  if (rest < 20) return;
  const ihl = (b[at] & 0x0f) * 4;
  const total = u16(b, at + 2);
  if (ihl < 20 || rest < ihl || total > rest || ihl > total) return;
  f.nwSrc = u32(b, at + 12);
  f.nwDst = u32(b, at + 16);
  const frag = u16(b, at + 6);
  const nwFrag = frag & 0x3fff ? NW_FRAG_ANY | (frag & 0x1fff ? NW_FRAG_LATER : 0) : 0;
  transport(f, b.subarray(at + ihl, at + total), b[at + 9], b[at + 1], b[at + 8], nwFrag);
}

const IPV6_EXT_HEADERS = new Set([0, 43, 44, 51, 60]);

function ipv6(f: PacketFlow, b: Uint8Array, at: number): void {
  const rest = b.length - at;
  if (rest < 40) return;
  const plen = u16(b, at + 4);
  if (plen + 40 > rest) return;
  f.ipv6Src = u128(b, at + 8);
  f.ipv6Dst = u128(b, at + 24);
  const tcFlow = u32(b, at);
  let proto = b[at + 6];
  let frag = 0;
  let p = at + 40;
  const end = p + plen;
  while (IPV6_EXT_HEADERS.has(proto)) {
    // Every extension header is at least 8 bytes; one that does not fit ends the parse with no L4.
    if (end - p < 8) return;
    const next = b[p];
    if (proto === 44) {
      p += 8;
      proto = next;
      const offlg = u16(b, p - 6);
      if (offlg !== 0) {
        frag = NW_FRAG_ANY;
        if (offlg & 0xfff8) {
          frag |= NW_FRAG_LATER;
          proto = 44;
          break;
        }
      }
      continue;
    }
    const len = proto === 51 ? (b[p + 1] + 2) * 4 : (b[p + 1] + 1) * 8;
    if (end - p < len) return;
    p += len;
    proto = next;
  }
  f.ipv6Label = tcFlow & 0xfffff;
  transport(f, b.subarray(p, end), proto, (tcFlow >>> 20) & 0xff, b[at + 7], frag);
}

function transport(f: PacketFlow, l4: Uint8Array, proto: number, tos: number, ttl: number, frag: number): void {
  f.l4 = l4;
  f.nwProto = proto;
  f.nwTos = tos;
  f.nwTtl = ttl;
  f.nwFrag = frag;
  if (frag & NW_FRAG_LATER) return;
  const n = l4.length;
  // TCP also needs its data offset to cover at least the fixed header and to fit.
  const tcpOk = proto === 6 && n >= 20 && (l4[12] >>> 4) * 4 >= 20 && (l4[12] >>> 4) * 4 <= n;
  if (tcpOk || (proto === 17 && n >= 8) || (proto === 132 && n >= 12)) {
    f.tpSrc = u16(l4, 0);
    f.tpDst = u16(l4, 2);
    if (proto === 6) f.tcpFlags = u16(l4, 12) & 0x0fff;
  } else if ((proto === 1 || proto === 2 || proto === 58) && n >= 8) {
    f.tpSrc = l4[0];
    f.tpDst = l4[1];
    if (proto === 2) f.igmpGroup = u32(l4, 4);
    if (proto === 58 && l4[1] === 0 && (l4[0] === 135 || l4[0] === 136)) neighbourDiscovery(f, l4.subarray(8));
  }
}

/** Target address and link-layer address options of a neighbour solicitation or advertisement. */
function neighbourDiscovery(f: PacketFlow, b: Uint8Array): void {
  if (b.length < 16) return;
  let sll = 0;
  let tll = 0;
  for (let p = 16; b.length - p >= 8; ) {
    const len = b[p + 1] * 8;
    if (!len || len > b.length - p) break;
    if ((b[p] === 1 || b[p] === 2) && len === 8) {
      const mac = readMac(b, p + 2);
      // OVS drops the target and both addresses when the same option comes twice.
      if (b[p] === 1 ? sll : tll) return;
      if (b[p] === 1) sll = mac;
      else tll = mac;
    }
    p += len;
  }
  f.ndTarget = u128(b, 0);
  f.arpSha = sll;
  f.arpTha = tll;
}

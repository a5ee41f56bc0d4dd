import { ETH_TYPE_NSH, extractFlow, isArpType, isMplsType, NW_FRAG_ANY, NW_FRAG_LATER, type PacketFlow } from '../../packets/flow-extract.js';
import { formatIpv4, formatIpv6, formatMac } from '../oxm/addresses.js';
import { TCP_FLAG_NAMES } from '../oxm/values.js';

/**
 * The line `ovs-ofctl ofp-print` prints under a packet-in or packet-out for the Ethernet frame it carries
 * (ofp_packet_to_string): the flow OVS extracts from the frame, printed like a match in which every field the
 * packet has is exact and the metadata (all zero here) is left out, then the transport checksum as received.
 * Any bytes give a line, truncated or garbage frames included; it never throws.
 */
export function packetSummary(frame: Uint8Array): string {
  const f = extractFlow(frame);
  return formatPacketFlow(f) + checksumNote(f);
}

const IPV4 = 0x0800;
const IPV6 = 0x86dd;

const IPV4_SHORT: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' };
const IPV6_SHORT: Record<number, string> = { 58: 'icmp6', 6: 'tcp6', 17: 'udp6', 132: 'sctp6' };
const OTHER_SHORT: Record<number, string> = { 0x0806: 'arp', 0x8035: 'rarp', 0x8847: 'mpls', 0x8848: 'mplsm' };
/** Protocols whose header fills tp_src/tp_dst (and so are printed, as zero when the header was cut short). */
const L4_PROTOS = new Set([1, 2, 6, 17, 58, 132]);

const hex = (v: number, width: number) => `0x${v.toString(16).padStart(width, '0')}`;

export function formatPacketFlow(f: PacketFlow): string {
  const out: string[] = [];
  const isIp = f.dlType === IPV4 || f.dlType === IPV6;
  const short = f.dlType === IPV4 ? IPV4_SHORT[f.nwProto] ?? 'ip' : f.dlType === IPV6 ? IPV6_SHORT[f.nwProto] ?? 'ipv6' : OTHER_SHORT[f.dlType];
  if (short) out.push(short);
  vlanFields(out, f.vlans);
  out.push(`dl_src=${formatMac(f.dlSrc)}`, `dl_dst=${formatMac(f.dlDst)}`);
  if (!short) out.push(`dl_type=${hex(f.dlType, 4)}`);
  if (f.dlType === IPV6) {
    out.push(`ipv6_src=${formatIpv6(f.ipv6Src)}`, `ipv6_dst=${formatIpv6(f.ipv6Dst)}`, `ipv6_label=${hex(f.ipv6Label, 5)}`);
  } else if (isArpType(f.dlType)) {
    out.push(`arp_spa=${formatIpv4(f.nwSrc)}`, `arp_tpa=${formatIpv4(f.nwDst)}`, `arp_op=${f.nwProto}`);
    out.push(`arp_sha=${formatMac(f.arpSha)}`, `arp_tha=${formatMac(f.arpTha)}`);
  } else if (f.dlType === IPV4) {
    out.push(`nw_src=${formatIpv4(f.nwSrc)}`, `nw_dst=${formatIpv4(f.nwDst)}`);
  } else if (isMplsType(f.dlType)) {
    mplsFields(out, f.mpls);
  } else if (f.dlType === ETH_TYPE_NSH) {
    const n = f.nsh;
    out.push(`nsh_flags=${n.flags}`, `nsh_ttl=${n.ttl}`, `nsh_mdtype=${n.mdType}`, `nsh_np=${n.nextProto}`, `nsh_spi=0x${n.spi.toString(16)}`, `nsh_si=${n.si}`);
    if (n.mdType === 1) n.context.forEach((c, i) => out.push(`nsh_c${i + 1}=0x${c.toString(16)}`));
    // OVS shows the IP fields of an NSH packet too, all zero.
    out.push('nw_proto=0', 'nw_tos=0', 'nw_ecn=0', 'nw_ttl=0', 'nw_frag=no');
  }
  if (isIp) ipFields(out, f);
  return out.join(',');
}

function vlanFields(out: string[], vlans: number[]): void {
  // OVS shows every tag it found and then one absent (zero) tag, up to its two-tag limit.
  for (let i = 0; i < 2; i++) {
    const tci = vlans[i] ?? 0;
    const n = i ? String(i) : '';
    if (tci & 0x1000) out.push(`dl_vlan${n}=${tci & 0xfff}`, `dl_vlan_pcp${n}=${tci >>> 13}`);
    else out.push(`vlan_tci${n}=${hex(tci, 4)}`);
    if (!tci) break;
  }
}

function mplsFields(out: string[], lse: number[]): void {
  const [top = 0, second = 0, third = 0] = lse;
  out.push(`mpls_label=${top >>> 12}`, `mpls_tc=${(top >>> 9) & 7}`, `mpls_ttl=${top & 0xff}`, `mpls_bos=${(top >>> 8) & 1}`);
  // Entries below the top are shown whole (in decimal), down to the bottom of the stack or the third entry.
  if (top & 0x100) return;
  out.push(`mpls_lse1=${second >>> 0}`);
  if (second & 0x100) return;
  out.push(`mpls_lse2=${third >>> 0}`);
}

function ipFields(out: string[], f: PacketFlow): void {
  const v6 = f.dlType === IPV6;
  if (!(v6 ? IPV6_SHORT : IPV4_SHORT)[f.nwProto]) out.push(`nw_proto=${f.nwProto}`);
  out.push(`nw_tos=${f.nwTos & 0xfc}`, `nw_ecn=${f.nwTos & 3}`, `nw_ttl=${f.nwTtl}`);
  out.push(`nw_frag=${f.nwFrag & NW_FRAG_ANY ? (f.nwFrag & NW_FRAG_LATER ? 'later' : 'first') : 'no'}`);
  if (f.nwFrag & NW_FRAG_LATER || !L4_PROTOS.has(f.nwProto)) return;
  if (!v6 && f.nwProto === 1) out.push(`icmp_type=${f.tpSrc}`, `icmp_code=${f.tpDst}`);
  else if (v6 && f.nwProto === 58) {
    out.push(`icmp_type=${f.tpSrc}`, `icmp_code=${f.tpDst}`);
    if (f.tpDst === 0 && (f.tpSrc === 135 || f.tpSrc === 136)) {
      out.push(`nd_target=${formatIpv6(f.ndTarget)}`, `nd_sll=${formatMac(f.arpSha)}`, `nd_tll=${formatMac(f.arpTha)}`);
    }
  } else out.push(`tp_src=${f.tpSrc}`, `tp_dst=${f.tpDst}`);
  if (f.nwProto === 6) out.push(`tcp_flags=${tcpFlags(f.tcpFlags)}`);
}

function tcpFlags(flags: number): string {
  if (!flags) return '0';
  return TCP_FLAG_NAMES.filter((_, bit) => flags & (1 << bit)).join('|');
}

/** " tcp_csum:…" and the like: the checksum field as received, when the transport header is long enough. */
function checksumNote(f: PacketFlow): string {
  const l4 = f.l4;
  if (!l4) return '';
  const n = l4.length;
  const at16 = (off: number) => ((l4[off] << 8) | l4[off + 1]).toString(16);
  switch (f.nwProto) {
    case 6:
      return n >= 20 ? ` tcp_csum:${at16(16)}` : '';
    case 17:
      return n >= 8 ? ` udp_csum:${at16(6)}` : '';
    case 132:
      return n >= 12 ? ` sctp_csum:${(((l4[8] << 24) >>> 0) + ((l4[9] << 16) | (l4[10] << 8) | l4[11])).toString(16)}` : '';
    case 1:
      return n >= 8 ? ` icmp_csum:${at16(2)}` : '';
    case 58:
      return n >= 4 ? ` icmp6_csum:${at16(2)}` : '';
    default:
      return '';
  }
}

import { cidrLength, formatIpv4, formatIpv6, formatMac } from './addresses.js';
import { fieldByName } from './fields.js';
import { FlowMatch, flowFromMatch, NOT_IN_OVS } from './flow.js';
import type { Match } from './types.js';
import { UNKNOWN_OXM } from './builder.js';
import { CT_STATE_FLAGS, formatFlags, formatFrag, formatPort, hex, TCP_FLAG_NAMES, TUN_FLAG_NAMES, TUN_FLAGS_NEVER_ALL } from './values.js';

/** The match part of a flow as `ovs-ofctl -O OpenFlow13` prints it (lib/match.c match_format). */

const ONES = (bits: number) => (1n << BigInt(bits)) - 1n;

/** All-ones over whole bytes once leading zero bytes are dropped: OVS then omits a tun_metadata mask. */
function isByteOnes(m: bigint): boolean {
  return m === 0n || ((m & (m + 1n)) === 0n && m.toString(2).length % 8 === 0);
}

class Out {
  readonly parts: string[] = [];
  constructor(readonly fm: FlowMatch) {}

  push(s: string): void {
    this.parts.push(s);
  }

  /** format_uint32_masked / format_be64_masked: "%#x[/%#x]". */
  hexMasked(name: string, slot: string, bits: number): void {
    const m = this.fm.maskOf(slot);
    if (!m) return;
    this.push(`${name}=${hex(this.fm.get(slot))}${m === ONES(bits) ? '' : `/${hex(m)}`}`);
  }

  /** format_be16_masked: decimal when exact, else "0x%x/0x%x". */
  decMasked(name: string, slot: string, bits: number): void {
    const m = this.fm.maskOf(slot);
    if (!m) return;
    const v = this.fm.get(slot);
    this.push(m === ONES(bits) ? `${name}=${v}` : `${name}=0x${v.toString(16)}/0x${m.toString(16)}`);
  }

  ip(name: string, slot: string): void {
    const m = this.fm.maskOf(slot);
    if (!m) return;
    const n = cidrLength(m, 32);
    const suffix = m === 0xffffffffn ? '' : n >= 0 ? `/${n}` : `/${formatIpv4(Number(m))}`;
    this.push(`${name}=${formatIpv4(Number(this.fm.get(slot)))}${suffix}`);
  }

  ipv6(name: string, slot: string): void {
    const m = this.fm.maskOf(slot);
    if (!m) return;
    const n = cidrLength(m, 128);
    const suffix = m === ONES(128) ? '' : n >= 0 ? `/${n}` : `/${formatIpv6(m)}`;
    this.push(`${name}=${formatIpv6(this.fm.get(slot))}${suffix}`);
  }

  eth(name: string, slot: string): void {
    const m = this.fm.maskOf(slot);
    if (!m) return;
    const suffix = m === ONES(48) ? '' : `/${formatMac(Number(m))}`;
    this.push(`${name}=${formatMac(Number(this.fm.get(slot)))}${suffix}`);
  }
}

/** Shorthand for dl_type (and nw_proto) as OVS prints it, and whether nw_proto is then implied. */
function protocolShorthand(dlType: bigint, proto: bigint | undefined): [string, boolean] | undefined {
  if (dlType === 0x0800n) {
    const p = proto === 1n ? 'icmp' : proto === 6n ? 'tcp' : proto === 17n ? 'udp' : proto === 132n ? 'sctp' : '';
    return p ? [p, true] : ['ip', false];
  }
  if (dlType === 0x86ddn) {
    const p = proto === 58n ? 'icmp6' : proto === 6n ? 'tcp6' : proto === 17n ? 'udp6' : proto === 132n ? 'sctp6' : '';
    return p ? [p, true] : ['ipv6', false];
  }
  const other: Record<string, string> = { '2054': 'arp', '32821': 'rarp', '34887': 'mpls', '34888': 'mplsm' };
  const name = other[dlType.toString()];
  return name ? [name, false] : undefined;
}

function formatCtAndMeta(o: Out): void {
  const fm = o.fm;
  o.hexMasked('pkt_mark', 'pkt_mark', 32);
  o.hexMasked('recirc_id', 'recirc_id', 32);
  o.hexMasked('dp_hash', 'dp_hash', 32);
  if (fm.maskOf('conj_id')) o.push(`conj_id=${fm.get('conj_id')}`);
  if (fm.maskOf('actset_output')) o.push(`actset_output=${formatPort(Number(fm.get('actset_output')), 4)}`);
  const ctMask = Number(fm.maskOf('ct_state') & 0xffn);
  if (ctMask) o.push(`ct_state=${formatFlags(CT_STATE_FLAGS, Number(fm.get('ct_state')), ctMask, 0xff)}`);
  o.decMasked('ct_zone', 'ct_zone', 16);
  o.hexMasked('ct_mark', 'ct_mark', 32);
  const lm = fm.maskOf('ct_label');
  if (lm) o.push(`ct_label=${hex(fm.get('ct_label'))}${lm === ONES(128) ? '' : `/${hex(lm)}`}`);
  o.ip('ct_nw_src', 'ct_nw_src');
  o.ipv6('ct_ipv6_src', 'ct_ipv6_src');
  o.ip('ct_nw_dst', 'ct_nw_dst');
  o.ipv6('ct_ipv6_dst', 'ct_ipv6_dst');
  if (fm.maskOf('ct_nw_proto')) {
    o.push(`ct_nw_proto=${fm.get('ct_nw_proto')}`);
    o.decMasked('ct_tp_src', 'ct_tp_src', 16);
    o.decMasked('ct_tp_dst', 'ct_tp_dst', 16);
  }
}

function formatTunnel(o: Out): void {
  const fm = o.fm;
  o.hexMasked('tun_id', 'tun_id', 64);
  o.ip('tun_src', 'tun_src');
  o.ip('tun_dst', 'tun_dst');
  o.ipv6('tun_ipv6_src', 'tun_ipv6_src');
  o.ipv6('tun_ipv6_dst', 'tun_ipv6_dst');
  o.decMasked('tun_gbp_id', 'tun_gbp_id', 16);
  if (fm.maskOf('tun_gbp_flags')) o.push(`tun_gbp_flags=${hex(fm.get('tun_gbp_flags'))}`);
  if (fm.maskOf('tun_erspan_ver')) o.push(`tun_erspan_ver=${fm.get('tun_erspan_ver')}`);
  const ver = fm.get('tun_erspan_ver');
  if (fm.maskOf('tun_erspan_idx') && ver === 1n) o.push(`tun_erspan_idx=${hex(fm.get('tun_erspan_idx'))}`);
  if (fm.maskOf('tun_erspan_dir') && ver === 2n) o.push(`tun_erspan_dir=${fm.get('tun_erspan_dir')}`);
  if (fm.maskOf('tun_erspan_hwid') && ver === 2n) o.push(`tun_erspan_hwid=${hex(fm.get('tun_erspan_hwid'))}`);
  // OVS names these differently in match text, and prints neither with a mask.
  if (fm.maskOf('tun_gtpu_flags')) o.push(`gtpu_flags=${hex(fm.get('tun_gtpu_flags'))}`);
  if (fm.maskOf('tun_gtpu_msgtype')) o.push(`gtpu_msgtype=${fm.get('tun_gtpu_msgtype')}`);
  const flagsMask = Number(fm.maskOf('tun_flags') & 1n);
  if (flagsMask) o.push(`tun_flags=${formatFlags(TUN_FLAG_NAMES, Number(fm.get('tun_flags') & 1n), flagsMask, TUN_FLAGS_NEVER_ALL)}`);
  for (let i = 0; i < 64; i++) {
    const n = `tun_metadata${i}`;
    if (!fm.width.has(n)) continue;
    const m = fm.maskOf(n);
    // A zero mask given explicitly prints as the bare name (tun_metadata_match_format).
    if (m === 0n && fm.masked.has(n)) o.push(n);
    else o.push(`${n}=${hex(fm.get(n))}${isByteOnes(m) ? '' : `/${hex(m)}`}`);
  }
}

function formatVlan(o: Out): void {
  const fm = o.fm;
  const mask = fm.maskOf('vlan_tci');
  if (!mask) return;
  const tci = fm.get('vlan_tci');
  const vidMask = mask & 0x0fffn;
  const pcpMask = mask & 0xe000n;
  if (mask & 0x1000n && tci & 0x1000n && (!vidMask || vidMask === 0xfffn) && (!pcpMask || pcpMask === 0xe000n) && (vidMask || pcpMask)) {
    if (vidMask) o.push(`dl_vlan=${tci & 0xfffn}`);
    if (pcpMask) o.push(`dl_vlan_pcp=${tci >> 13n}`);
  } else {
    const h = (x: bigint) => `0x${x.toString(16).padStart(4, '0')}`;
    o.push(mask === 0xffffn ? `vlan_tci=${h(tci)}` : `vlan_tci=${h(tci)}/${h(mask)}`);
  }
}

function formatL3L4(o: Out, dlType: bigint, skipProto: boolean): void {
  const fm = o.fm;
  const isArp = dlType === 0x0806n || dlType === 0x8035n;
  if (dlType === 0x86ddn) {
    o.ipv6('ipv6_src', 'ipv6_src');
    o.ipv6('ipv6_dst', 'ipv6_dst');
    const lm = fm.maskOf('ipv6_label');
    if (lm) {
      const h = (x: bigint) => `0x${x.toString(16).padStart(5, '0')}`;
      o.push(`ipv6_label=${h(fm.get('ipv6_label'))}${lm === 0xffffffffn ? '' : `/${h(lm)}`}`);
    }
  } else if (isArp) {
    o.ip('arp_spa', 'nw_src');
    o.ip('arp_tpa', 'nw_dst');
  } else {
    o.ip('nw_src', 'nw_src');
    o.ip('nw_dst', 'nw_dst');
  }
  if (!skipProto && fm.maskOf('nw_proto')) o.push(`${isArp ? 'arp_op' : 'nw_proto'}=${fm.get('nw_proto')}`);
  if (isArp) {
    o.eth('arp_sha', 'arp_sha');
    o.eth('arp_tha', 'arp_tha');
  }
  const tos = fm.get('nw_tos');
  const tosMask = fm.maskOf('nw_tos');
  if (tosMask & 0xfcn) o.push(`nw_tos=${tos & 0xfcn}`);
  if (tosMask & 3n) o.push(`nw_ecn=${tos & 3n}`);
  if (fm.maskOf('nw_ttl')) o.push(`nw_ttl=${fm.get('nw_ttl')}`);
  const lse = fm.get('mpls_lse');
  const lseMask = fm.maskOf('mpls_lse');
  if (lseMask & 0xfffff000n) o.push(`mpls_label=${lse >> 12n}`);
  if (lseMask & 0xe00n) o.push(`mpls_tc=${(lse >> 9n) & 7n}`);
  if (lseMask & 0xffn) o.push(`mpls_ttl=${lse & 0xffn}`);
  if (lseMask & 0x100n) o.push(`mpls_bos=${(lse >> 8n) & 1n}`);
  const fragMask = Number(fm.maskOf('nw_frag') & 3n);
  if (fragMask) o.push(`nw_frag=${formatFrag(Number(fm.get('nw_frag')), fragMask)}`);
  const proto = fm.get('nw_proto');
  if ((dlType === 0x0800n && proto === 1n) || (dlType === 0x86ddn && proto === 58n)) {
    o.decMasked('icmp_type', 'tp_src', 16);
    o.decMasked('icmp_code', 'tp_dst', 16);
    if (dlType === 0x86ddn) {
      o.ipv6('nd_target', 'nd_target');
      o.eth('nd_sll', 'arp_sha');
      o.eth('nd_tll', 'arp_tha');
      if (fm.maskOf('nd_reserved')) o.push(`nd_reserved=${fm.get('nd_reserved')}`);
      if (fm.maskOf('nd_options_type')) o.push(`nd_options_type=${fm.get('nd_options_type')}`);
    }
  } else {
    o.decMasked('tp_src', 'tp_src', 16);
    o.decMasked('tp_dst', 'tp_dst', 16);
  }
  const tcpMask = Number(fm.maskOf('tcp_flags') & 0xfffn);
  if ((dlType === 0x0800n || dlType === 0x86ddn) && proto === 6n && fm.maskOf('tcp_flags')) {
    o.push(`tcp_flags=${formatFlags(TCP_FLAG_NAMES, Number(fm.get('tcp_flags')), tcpMask, 0xfff)}`);
  }
}

/** Exactly the match part of `ovs-ofctl -O OpenFlow13` output ("" for match-all). */
export function formatMatch(m: Match): string {
  const fm = flowFromMatch(m);
  const o = new Out(fm);
  formatCtAndMeta(o);
  let dlType = fm.maskOf('dl_type') ? fm.get('dl_type') : -1n;
  // OVS implies packet_type=eth for L2+ fields and names it only in megaflows (recirc_id matched).
  const ptMask = fm.maskOf('packet_type');
  const pt = fm.get('packet_type');
  if (ptMask && !(pt === 0n && ptMask === 0xffffffffn)) {
    o.push(`packet_type=(${pt >> 16n},${hex(pt & 0xffffn)})`);
    if (pt >> 16n === 1n) dlType = pt & 0xffffn;
  } else if ((ptMask || fm.ethernetImplied) && fm.maskOf('recirc_id')) {
    o.push('eth');
  }
  let skipType = false;
  let skipProto = false;
  if (fm.maskOf('dl_type')) {
    const sh = protocolShorthand(dlType, fm.maskOf('nw_proto') ? fm.get('nw_proto') : undefined);
    if (sh) {
      o.push(sh[0]);
      skipType = true;
      skipProto = sh[1];
    }
  }
  for (let i = 0; i < 16; i++) o.hexMasked(`reg${i}`, `reg${i}`, 32);
  formatTunnel(o);
  o.hexMasked('metadata', 'metadata', 64);
  if (fm.maskOf('in_port')) o.push(`in_port=${formatPort(Number(fm.get('in_port')), 4)}`);
  formatVlan(o);
  o.eth('dl_src', 'dl_src');
  o.eth('dl_dst', 'dl_dst');
  if (!skipType && fm.maskOf('dl_type')) o.push(`dl_type=0x${dlType.toString(16).padStart(4, '0')}`);
  formatL3L4(o, dlType, skipProto);
  // No OVS text exists for these; print them like OVS prints other integer fields.
  for (const n of NOT_IN_OVS) o.hexMasked(n, n, fieldByName(n)!.width * 8);
  // Not OVS text (OVS refuses unknown fields); MatchBuilder reads it back.
  for (const e of m) {
    if (e.field === null) o.push(`${UNKNOWN_OXM}=0x${Buffer.from(e.raw).toString('hex')}`);
  }
  return o.parts.join(',');
}

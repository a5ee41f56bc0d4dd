import type { OxmFieldDef, OxmFormat, Prerequisite } from './types.js';

/** OXM classes and experimenter ids (openflow-common.h, nx-match.h). */
export const OFPXMC_NXM_0 = 0x0000;
export const OFPXMC_NXM_1 = 0x0001;
export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_PACKET_REGS = 0x8001;
/** Ericsson's OXM class, used by OVS for the ICMPv6 ND reserved/options-type fields. */
export const OFPXMC_ERICSSON = 0x1000;
export const OFPXMC_EXPERIMENTER = 0xffff;
export const ONF_EXPERIMENTER_ID = 0x4f4e4600;
export const NX_EXPERIMENTER_ID = 0x00002320;

/** [class, field, experimenter?] */
type Hdr = readonly [number, number, number?];
const B = (f: number): Hdr => [OFPXMC_OPENFLOW_BASIC, f];
const N0 = (f: number): Hdr => [OFPXMC_NXM_0, f];
const N1 = (f: number): Hdr => [OFPXMC_NXM_1, f];
const ONF = (f: number): Hdr => [OFPXMC_EXPERIMENTER, f, ONF_EXPERIMENTER_ID];
const NXX = (f: number): Hdr => [OFPXMC_EXPERIMENTER, f, NX_EXPERIMENTER_ID];

interface Spec {
  name: string;
  /** Other spellings; the first OXM_/NXM_ one given is the subfield name OVS prints. */
  names: string[];
  /** Header OVS puts in OF1.3 matches and set_field. */
  of13: Hdr;
  /** Header for Nicira actions; defaults to of13. */
  nxm?: Hdr;
  width: number;
  bits?: number;
  mask: boolean;
  prereq: Prerequisite;
  format: OxmFormat;
  rw: boolean;
}

function def(s: Spec): OxmFieldDef {
  const nxm = s.nxm ?? s.of13;
  const nxmName = s.names.find((n) => /^(NXM|OXM|ONFOXM|NXOXM|ERICOXM)_/.test(n)) ?? s.name;
  const d: OxmFieldDef = {
    name: s.name,
    aliases: s.names,
    nxmName,
    oxmClass: s.of13[0],
    oxmField: s.of13[1],
    width: s.width,
    bits: s.bits ?? s.width * 8,
    maskable: s.mask,
    prereq: s.prereq,
    format: s.format,
    writable: s.rw,
    nxmClass: nxm[0],
    nxmField: nxm[1],
  };
  const out = d as { -readonly [K in keyof OxmFieldDef]: OxmFieldDef[K] };
  if (s.of13[2] !== undefined) out.experimenter = s.of13[2];
  if (nxm[2] !== undefined) out.nxmExperimenter = nxm[2];
  return d;
}

const specs: Spec[] = [
  // Metadata and ports.
  { name: 'in_port', names: ['NXM_OF_IN_PORT'], of13: N0(0), width: 2, mask: false, prereq: 'none', format: 'port', rw: true },
  { name: 'in_port_oxm', names: ['OXM_OF_IN_PORT'], of13: B(0), width: 4, mask: false, prereq: 'none', format: 'port', rw: true },
  { name: 'in_phy_port', names: ['OXM_OF_IN_PHY_PORT'], of13: B(1), width: 4, mask: false, prereq: 'none', format: 'port', rw: false },
  { name: 'metadata', names: ['OXM_OF_METADATA'], of13: B(2), width: 8, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'actset_output', names: ['ONFOXM_ET_ACTSET_OUTPUT'], of13: ONF(43), width: 4, mask: false, prereq: 'none', format: 'port', rw: false },
  { name: 'packet_type', names: ['OXM_OF_PACKET_TYPE'], of13: B(44), width: 4, mask: false, prereq: 'none', format: 'other', rw: false },
  { name: 'pkt_mark', names: ['NXM_NX_PKT_MARK'], of13: N1(33), width: 4, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'dp_hash', names: ['NXM_NX_DP_HASH'], of13: N1(35), width: 4, mask: true, prereq: 'none', format: 'hex', rw: false },
  { name: 'recirc_id', names: ['NXM_NX_RECIRC_ID'], of13: N1(36), width: 4, mask: false, prereq: 'none', format: 'hex', rw: false },
  { name: 'conj_id', names: ['NXM_NX_CONJ_ID'], of13: N1(37), width: 4, mask: false, prereq: 'none', format: 'decimal', rw: false },
  // Tunnel.
  { name: 'tun_id', names: ['tunnel_id', 'NXM_NX_TUN_ID', 'OXM_OF_TUNNEL_ID'], of13: B(38), nxm: N1(16), width: 8, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'tun_src', names: ['NXM_NX_TUN_IPV4_SRC'], of13: N1(31), width: 4, mask: true, prereq: 'none', format: 'ipv4', rw: true },
  { name: 'tun_dst', names: ['NXM_NX_TUN_IPV4_DST'], of13: N1(32), width: 4, mask: true, prereq: 'none', format: 'ipv4', rw: true },
  { name: 'tun_ipv6_src', names: ['NXM_NX_TUN_IPV6_SRC'], of13: N1(109), width: 16, mask: true, prereq: 'none', format: 'ipv6', rw: true },
  { name: 'tun_ipv6_dst', names: ['NXM_NX_TUN_IPV6_DST'], of13: N1(110), width: 16, mask: true, prereq: 'none', format: 'ipv6', rw: true },
  { name: 'tun_gbp_id', names: ['NXM_NX_TUN_GBP_ID'], of13: N1(38), width: 2, mask: true, prereq: 'none', format: 'decimal', rw: true },
  { name: 'tun_gbp_flags', names: ['NXM_NX_TUN_GBP_FLAGS'], of13: N1(39), width: 1, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'tun_flags', names: ['NXM_NX_TUN_FLAGS'], of13: N1(104), width: 2, bits: 1, mask: true, prereq: 'none', format: 'tun_flags', rw: true },
  { name: 'tun_erspan_idx', names: ['NXOXM_ET_ERSPAN_IDX'], of13: NXX(11), width: 4, bits: 20, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'tun_erspan_ver', names: ['NXOXM_ET_ERSPAN_VER'], of13: NXX(12), width: 1, bits: 4, mask: true, prereq: 'none', format: 'decimal', rw: true },
  { name: 'tun_erspan_dir', names: ['NXOXM_ET_ERSPAN_DIR'], of13: NXX(13), width: 1, bits: 1, mask: true, prereq: 'none', format: 'decimal', rw: true },
  { name: 'tun_erspan_hwid', names: ['NXOXM_ET_ERSPAN_HWID'], of13: NXX(14), width: 1, bits: 6, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'tun_gtpu_flags', names: ['NXOXM_ET_GTPU_FLAGS'], of13: NXX(15), width: 1, mask: true, prereq: 'none', format: 'hex', rw: false },
  { name: 'tun_gtpu_msgtype', names: ['NXOXM_ET_GTPU_MSGTYPE'], of13: NXX(16), width: 1, mask: true, prereq: 'none', format: 'decimal', rw: false },
  // Connection tracking.
  { name: 'ct_state', names: ['NXM_NX_CT_STATE'], of13: N1(105), width: 4, mask: true, prereq: 'none', format: 'ct_state', rw: false },
  { name: 'ct_zone', names: ['NXM_NX_CT_ZONE'], of13: N1(106), width: 2, mask: false, prereq: 'none', format: 'hex', rw: false },
  { name: 'ct_mark', names: ['NXM_NX_CT_MARK'], of13: N1(107), width: 4, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'ct_label', names: ['NXM_NX_CT_LABEL'], of13: N1(108), width: 16, mask: true, prereq: 'none', format: 'hex', rw: true },
  { name: 'ct_nw_proto', names: ['NXM_NX_CT_NW_PROTO'], of13: N1(119), width: 1, mask: false, prereq: 'ct', format: 'decimal', rw: false },
  { name: 'ct_nw_src', names: ['NXM_NX_CT_NW_SRC'], of13: N1(120), width: 4, mask: true, prereq: 'ct', format: 'ipv4', rw: false },
  { name: 'ct_nw_dst', names: ['NXM_NX_CT_NW_DST'], of13: N1(121), width: 4, mask: true, prereq: 'ct', format: 'ipv4', rw: false },
  { name: 'ct_ipv6_src', names: ['NXM_NX_CT_IPV6_SRC'], of13: N1(122), width: 16, mask: true, prereq: 'ct', format: 'ipv6', rw: false },
  { name: 'ct_ipv6_dst', names: ['NXM_NX_CT_IPV6_DST'], of13: N1(123), width: 16, mask: true, prereq: 'ct', format: 'ipv6', rw: false },
  { name: 'ct_tp_src', names: ['NXM_NX_CT_TP_SRC'], of13: N1(124), width: 2, mask: true, prereq: 'ct', format: 'decimal', rw: false },
  { name: 'ct_tp_dst', names: ['NXM_NX_CT_TP_DST'], of13: N1(125), width: 2, mask: true, prereq: 'ct', format: 'decimal', rw: false },
  // L2.
  { name: 'eth_src', names: ['dl_src', 'NXM_OF_ETH_SRC', 'OXM_OF_ETH_SRC'], of13: B(4), nxm: N0(2), width: 6, mask: true, prereq: 'ethernet', format: 'mac', rw: true },
  { name: 'eth_dst', names: ['dl_dst', 'NXM_OF_ETH_DST', 'OXM_OF_ETH_DST'], of13: B(3), nxm: N0(1), width: 6, mask: true, prereq: 'ethernet', format: 'mac', rw: true },
  { name: 'eth_type', names: ['dl_type', 'NXM_OF_ETH_TYPE', 'OXM_OF_ETH_TYPE'], of13: B(5), nxm: N0(3), width: 2, mask: false, prereq: 'ethernet', format: 'ethertype', rw: false },
  { name: 'vlan_tci', names: ['NXM_OF_VLAN_TCI'], of13: N0(4), width: 2, mask: true, prereq: 'ethernet', format: 'vlan_tci', rw: true },
  { name: 'vlan_vid', names: ['OXM_OF_VLAN_VID'], of13: B(6), width: 2, bits: 12, mask: true, prereq: 'ethernet', format: 'decimal', rw: true },
  { name: 'vlan_pcp', names: ['OXM_OF_VLAN_PCP'], of13: B(7), width: 1, bits: 3, mask: false, prereq: 'vlan_vid', format: 'decimal', rw: true },
  // MPLS.
  { name: 'mpls_label', names: ['OXM_OF_MPLS_LABEL'], of13: B(34), width: 4, bits: 20, mask: false, prereq: 'mpls', format: 'decimal', rw: true },
  { name: 'mpls_tc', names: ['OXM_OF_MPLS_TC'], of13: B(35), width: 1, bits: 3, mask: false, prereq: 'mpls', format: 'decimal', rw: true },
  { name: 'mpls_bos', names: ['OXM_OF_MPLS_BOS'], of13: B(36), width: 1, bits: 1, mask: false, prereq: 'mpls', format: 'decimal', rw: false },
  { name: 'mpls_ttl', names: ['NXM_NX_MPLS_TTL'], of13: N1(30), width: 1, mask: false, prereq: 'mpls', format: 'decimal', rw: true },
  // PBB (OpenFlow fields that OVS does not implement; kept so they decode and re-encode typed).
  { name: 'pbb_isid', names: ['OXM_OF_PBB_ISID'], of13: B(37), width: 3, mask: true, prereq: 'pbb', format: 'decimal', rw: true },
  { name: 'pbb_uca', names: ['OXM_OF_PBB_UCA'], of13: B(41), width: 1, bits: 1, mask: false, prereq: 'pbb', format: 'decimal', rw: true },
  // L3.
  { name: 'ip_src', names: ['nw_src', 'NXM_OF_IP_SRC', 'OXM_OF_IPV4_SRC', 'ipv4_src'], of13: B(11), nxm: N0(7), width: 4, mask: true, prereq: 'ipv4', format: 'ipv4', rw: true },
  { name: 'ip_dst', names: ['nw_dst', 'NXM_OF_IP_DST', 'OXM_OF_IPV4_DST', 'ipv4_dst'], of13: B(12), nxm: N0(8), width: 4, mask: true, prereq: 'ipv4', format: 'ipv4', rw: true },
  { name: 'ipv6_src', names: ['NXM_NX_IPV6_SRC', 'OXM_OF_IPV6_SRC'], of13: B(26), nxm: N1(19), width: 16, mask: true, prereq: 'ipv6', format: 'ipv6', rw: true },
  { name: 'ipv6_dst', names: ['NXM_NX_IPV6_DST', 'OXM_OF_IPV6_DST'], of13: B(27), nxm: N1(20), width: 16, mask: true, prereq: 'ipv6', format: 'ipv6', rw: true },
  { name: 'ipv6_label', names: ['NXM_NX_IPV6_LABEL', 'OXM_OF_IPV6_FLABEL', 'ipv6_flabel'], of13: B(28), nxm: N1(27), width: 4, bits: 20, mask: true, prereq: 'ipv6', format: 'hex', rw: true },
  { name: 'ipv6_exthdr', names: ['OXM_OF_IPV6_EXTHDR'], of13: B(39), width: 2, bits: 9, mask: true, prereq: 'ipv6', format: 'hex', rw: false },
  { name: 'nw_proto', names: ['ip_proto', 'NXM_OF_IP_PROTO', 'OXM_OF_IP_PROTO'], of13: B(10), nxm: N0(6), width: 1, mask: false, prereq: 'ip_any', format: 'decimal', rw: false },
  { name: 'nw_ttl', names: ['NXM_NX_IP_TTL'], of13: N1(29), width: 1, mask: false, prereq: 'ip_any', format: 'decimal', rw: true },
  { name: 'ip_frag', names: ['nw_frag', 'NXM_NX_IP_FRAG'], of13: N1(26), width: 1, bits: 2, mask: true, prereq: 'ip_any', format: 'frag', rw: false },
  { name: 'nw_tos', names: ['NXM_OF_IP_TOS'], of13: N0(5), width: 1, mask: false, prereq: 'ip_any', format: 'decimal', rw: true },
  { name: 'ip_dscp', names: ['OXM_OF_IP_DSCP'], of13: B(8), width: 1, bits: 6, mask: false, prereq: 'ip_any', format: 'decimal', rw: true },
  { name: 'nw_ecn', names: ['ip_ecn', 'NXM_NX_IP_ECN', 'OXM_OF_IP_ECN'], of13: B(9), nxm: N1(28), width: 1, bits: 2, mask: false, prereq: 'ip_any', format: 'decimal', rw: true },
  // ARP.
  { name: 'arp_op', names: ['NXM_OF_ARP_OP', 'OXM_OF_ARP_OP'], of13: B(21), nxm: N0(15), width: 2, mask: false, prereq: 'arp', format: 'decimal', rw: true },
  { name: 'arp_spa', names: ['NXM_OF_ARP_SPA', 'OXM_OF_ARP_SPA'], of13: B(22), nxm: N0(16), width: 4, mask: true, prereq: 'arp', format: 'ipv4', rw: true },
  { name: 'arp_tpa', names: ['NXM_OF_ARP_TPA', 'OXM_OF_ARP_TPA'], of13: B(23), nxm: N0(17), width: 4, mask: true, prereq: 'arp', format: 'ipv4', rw: true },
  { name: 'arp_sha', names: ['NXM_NX_ARP_SHA', 'OXM_OF_ARP_SHA'], of13: B(24), nxm: N1(17), width: 6, mask: true, prereq: 'arp', format: 'mac', rw: true },
  { name: 'arp_tha', names: ['NXM_NX_ARP_THA', 'OXM_OF_ARP_THA'], of13: B(25), nxm: N1(18), width: 6, mask: true, prereq: 'arp', format: 'mac', rw: true },
  // L4.
  { name: 'tcp_src', names: ['tp_src', 'NXM_OF_TCP_SRC', 'OXM_OF_TCP_SRC'], of13: B(13), nxm: N0(9), width: 2, mask: true, prereq: 'tcp', format: 'decimal', rw: true },
  { name: 'tcp_dst', names: ['tp_dst', 'NXM_OF_TCP_DST', 'OXM_OF_TCP_DST'], of13: B(14), nxm: N0(10), width: 2, mask: true, prereq: 'tcp', format: 'decimal', rw: true },
  { name: 'tcp_flags', names: ['NXM_NX_TCP_FLAGS', 'ONFOXM_ET_TCP_FLAGS', 'OXM_OF_TCP_FLAGS'], of13: ONF(42), nxm: N1(34), width: 2, bits: 12, mask: true, prereq: 'tcp', format: 'tcp_flags', rw: false },
  { name: 'udp_src', names: ['NXM_OF_UDP_SRC', 'OXM_OF_UDP_SRC'], of13: B(15), nxm: N0(11), width: 2, mask: true, prereq: 'udp', format: 'decimal', rw: true },
  { name: 'udp_dst', names: ['NXM_OF_UDP_DST', 'OXM_OF_UDP_DST'], of13: B(16), nxm: N0(12), width: 2, mask: true, prereq: 'udp', format: 'decimal', rw: true },
  { name: 'sctp_src', names: ['OXM_OF_SCTP_SRC'], of13: B(17), width: 2, mask: true, prereq: 'sctp', format: 'decimal', rw: true },
  { name: 'sctp_dst', names: ['OXM_OF_SCTP_DST'], of13: B(18), width: 2, mask: true, prereq: 'sctp', format: 'decimal', rw: true },
  { name: 'icmp_type', names: ['icmpv4_type', 'NXM_OF_ICMP_TYPE', 'OXM_OF_ICMPV4_TYPE'], of13: B(19), nxm: N0(13), width: 1, mask: false, prereq: 'icmpv4', format: 'decimal', rw: true },
  { name: 'icmp_code', names: ['icmpv4_code', 'NXM_OF_ICMP_CODE', 'OXM_OF_ICMPV4_CODE'], of13: B(20), nxm: N0(14), width: 1, mask: false, prereq: 'icmpv4', format: 'decimal', rw: true },
  { name: 'icmpv6_type', names: ['NXM_NX_ICMPV6_TYPE', 'OXM_OF_ICMPV6_TYPE'], of13: B(29), nxm: N1(21), width: 1, mask: false, prereq: 'icmpv6', format: 'decimal', rw: true },
  { name: 'icmpv6_code', names: ['NXM_NX_ICMPV6_CODE', 'OXM_OF_ICMPV6_CODE'], of13: B(30), nxm: N1(22), width: 1, mask: false, prereq: 'icmpv6', format: 'decimal', rw: true },
  { name: 'nd_target', names: ['NXM_NX_ND_TARGET', 'OXM_OF_IPV6_ND_TARGET'], of13: B(31), nxm: N1(23), width: 16, mask: true, prereq: 'nd', format: 'ipv6', rw: true },
  { name: 'nd_sll', names: ['NXM_NX_ND_SLL', 'OXM_OF_IPV6_ND_SLL'], of13: B(32), nxm: N1(24), width: 6, mask: true, prereq: 'nd_sll', format: 'mac', rw: true },
  { name: 'nd_tll', names: ['NXM_NX_ND_TLL', 'OXM_OF_IPV6_ND_TLL'], of13: B(33), nxm: N1(25), width: 6, mask: true, prereq: 'nd_tll', format: 'mac', rw: true },
  { name: 'nd_reserved', names: ['ERICOXM_OF_ICMPV6_ND_RESERVED'], of13: [OFPXMC_ERICSSON, 1], width: 4, mask: false, prereq: 'nd', format: 'decimal', rw: true },
  { name: 'nd_options_type', names: ['ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE'], of13: [OFPXMC_ERICSSON, 2], width: 1, mask: false, prereq: 'nd', format: 'decimal', rw: true },
];

for (let i = 0; i < 16; i++) {
  specs.push({ name: `reg${i}`, names: [`NXM_NX_REG${i}`], of13: N1(i), width: 4, mask: true, prereq: 'none', format: 'hex', rw: true });
}
for (let i = 0; i < 8; i++) {
  specs.push({ name: `xreg${i}`, names: [`OXM_OF_PKT_REG${i}`], of13: [OFPXMC_PACKET_REGS, i], width: 8, mask: true, prereq: 'none', format: 'hex', rw: true });
}
for (let i = 0; i < 4; i++) {
  specs.push({ name: `xxreg${i}`, names: [`NXM_NX_XXREG${i}`], of13: N1(111 + i), width: 16, mask: true, prereq: 'none', format: 'hex', rw: true });
}
// Geneve TLV options: variable width (up to 124 bytes), the width comes from the TLV length.
for (let i = 0; i < 64; i++) {
  specs.push({ name: `tun_metadata${i}`, names: [`NXM_NX_TUN_METADATA${i}`], of13: N1(40 + i), width: 0, bits: 124 * 8, mask: true, prereq: 'none', format: 'hex', rw: true });
}

export const FIELDS: readonly OxmFieldDef[] = specs.map(def);

/** Headers OVS accepts for a field besides the OF1.3 one: NXM forms and OXM forms of other versions. */
const extraHeaders: ReadonlyArray<readonly [string, Hdr]> = [
  ['tcp_flags', B(42)], // OXM_OF_TCP_FLAGS (OF1.5)
  ['actset_output', B(43)], // OXM_OF_ACTSET_OUTPUT (OF1.5)
];

const byName = new Map<string, OxmFieldDef>();
const byHeader = new Map<number, OxmFieldDef>();
/** Dense table for the four classes seen on the hot path (NXM0, NXM1, OF basic, packet regs): 4 x 128 fields. */
const denseHeader: Array<OxmFieldDef | undefined> = new Array<OxmFieldDef | undefined>(512).fill(undefined);

function denseIndex(cls: number, field: number): number {
  const c = cls === OFPXMC_OPENFLOW_BASIC ? 2 : cls === OFPXMC_PACKET_REGS ? 3 : cls <= OFPXMC_NXM_1 ? cls : -1;
  return c < 0 ? -1 : c * 128 + field;
}
const byExpHeader = new Map<number, OxmFieldDef>();

/** Numeric keys (no string building on the decode path); exact since 2^32 * 128 < 2^53. */
function headerKey(cls: number, field: number): number {
  return cls * 128 + field;
}

function withHeader(f: OxmFieldDef, h: Hdr): OxmFieldDef {
  if (f.oxmClass === h[0] && f.oxmField === h[1] && f.experimenter === h[2]) return f;
  const alt = { ...f, oxmClass: h[0], oxmField: h[1] } as { -readonly [K in keyof OxmFieldDef]: OxmFieldDef[K] };
  if (h[2] === undefined) delete alt.experimenter;
  else alt.experimenter = h[2];
  return Object.freeze(alt);
}

function register(f: OxmFieldDef, h: Hdr): void {
  if (h[0] === OFPXMC_EXPERIMENTER) {
    const k = headerKey(h[2] ?? 0, h[1]);
    if (!byExpHeader.has(k)) byExpHeader.set(k, withHeader(f, h));
  } else {
    const k = headerKey(h[0], h[1]);
    if (!byHeader.has(k)) {
      const d = withHeader(f, h);
      byHeader.set(k, d);
      const i = denseIndex(h[0], h[1]);
      if (i >= 0) denseHeader[i] = d;
    }
  }
}

for (const f of FIELDS) {
  Object.freeze(f);
  byName.set(f.name, f);
  for (const a of f.aliases) if (!byName.has(a)) byName.set(a, f);
  register(f, [f.oxmClass, f.oxmField, f.experimenter]);
}
for (const f of FIELDS) register(f, [f.nxmClass, f.nxmField, f.nxmExperimenter]);
for (const [name, h] of extraHeaders) register(byName.get(name)!, h);

/** Any spelling OVS accepts (dl_dst, eth_dst, NXM_OF_ETH_DST, OXM_OF_ETH_DST, reg0, NXM_NX_REG0...). */
export function fieldByName(name: string): OxmFieldDef | undefined {
  return byName.get(name);
}

/**
 * The field a wire header names. When the header is not the one OVS emits in OF1.3 (an NXM form, or an OXM
 * form from another version) the result is a copy of the field carrying that header, so a decoded entry
 * re-encodes byte-identically: compare fields by `name`, not identity.
 */
export function fieldByHeader(oxmClass: number, oxmField: number, experimenter?: number): OxmFieldDef | undefined {
  if (oxmClass === OFPXMC_EXPERIMENTER) return byExpHeader.get(headerKey(experimenter ?? 0, oxmField));
  const i = denseIndex(oxmClass, oxmField);
  return i >= 0 ? denseHeader[i] : byHeader.get(headerKey(oxmClass, oxmField));
}

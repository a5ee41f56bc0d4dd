import { fieldByName } from './fields.js';
import type { Match, MatchEntry, OxmFieldDef, OxmValue } from './types.js';
import { fromBigInt, toBigInt } from './values.js';

/**
 * OVS's `struct match` seen as value/mask pairs per flow member ("slot"). Text and wire forms disagree on
 * shape (vlan_tci vs vlan_vid+vlan_pcp, nw_tos vs ip_dscp+ip_ecn, tp_src shared by tcp/udp/sctp/icmp,
 * xreg over two regs...), so both the printer and the builder go through this model, as OVS does.
 * Text paths only: values are bigints for simple bit arithmetic.
 */
export class FlowMatch {
  readonly value = new Map<string, bigint>();
  readonly mask = new Map<string, bigint>();
  /** Byte width of variable-width slots (tun_metadata); also marks them present when empty. */
  readonly width = new Map<string, number>();
  /**
   * Variable-width slots given with a mask. OVS measures "all ones" over the field's 124-byte maximum, so such a
   * mask is kept on the wire even when it covers every byte of the value (`tun_metadata1=0x12/0xff`).
   */
  readonly masked = new Set<string>();
  /** Some field needing an Ethernet packet was set, so OVS assumes packet_type=eth. */
  ethernetImplied = false;

  get(slot: string): bigint {
    return this.value.get(slot) ?? 0n;
  }

  maskOf(slot: string): bigint {
    return this.mask.get(slot) ?? 0n;
  }

  /** Replaces the bits of `slot` selected by `bits` with value/mask (OVS match_set_*_masked). */
  setBits(slot: string, value: bigint, mask: bigint, bits: bigint): void {
    const v = (this.get(slot) & ~bits) | (value & mask & bits);
    const m = (this.maskOf(slot) & ~bits) | (mask & bits);
    if (m === 0n && v === 0n) {
      this.value.delete(slot);
      this.mask.delete(slot);
      return;
    }
    this.value.set(slot, v);
    this.mask.set(slot, m);
  }

  set(slot: string, value: bigint, mask: bigint, bits: number): void {
    this.setBits(slot, value, mask, (1n << BigInt(bits)) - 1n);
  }
}

const ONES = (bits: number) => (1n << BigInt(bits)) - 1n;

/**
 * Fields whose `match_set_*_masked` in OVS 3.1 stores the value as the mask (lib/match.c): the match keeps
 * mask := value and value := value & mask. OVS puts exactly that on the wire and prints from it, so we model it.
 */
const MASK_IS_VALUE = new Set(['tun_erspan_ver', 'tun_erspan_dir', 'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype']);

/** Whether a parsed `value/mask` must reach applyField with the value not yet ANDed with the mask. */
export function wantsRawValue(f: OxmFieldDef): boolean {
  return MASK_IS_VALUE.has(f.name);
}

/** Reserved OF1.0 ports (0xff00 and up) widened to their OF1.1 numbers. */
export function port16to32(p: bigint): bigint {
  return p >= 0xff00n ? p + 0xffff0000n : p;
}

/** Where a field lives in the model: slot, the bits it covers there, and the shift of its value. */
interface Placement {
  slot: string;
  bits: bigint;
  shift: number;
}

/** Fields not listed live alone in a slot named after them. */
const PLACE = new Map<string, Placement>();
function place(name: string, slot: string, width: number, bits = ONES(width * 8), shift = 0): void {
  PLACE.set(name, { slot, bits, shift });
}
place('in_port', 'in_port', 4);
place('in_port_oxm', 'in_port', 4);
place('eth_src', 'dl_src', 6);
place('eth_dst', 'dl_dst', 6);
place('eth_type', 'dl_type', 2);
place('vlan_tci', 'vlan_tci', 2);
place('vlan_vid', 'vlan_tci', 2, 0x1fffn);
place('ip_src', 'nw_src', 4);
place('ip_dst', 'nw_dst', 4);
place('arp_spa', 'nw_src', 4);
place('arp_tpa', 'nw_dst', 4);
place('arp_op', 'nw_proto', 1);
place('nw_proto', 'nw_proto', 1);
place('ip_frag', 'nw_frag', 1, 3n);
place('nw_tos', 'nw_tos', 1, 0xfcn);
place('ip_dscp', 'nw_tos', 1, 0xfcn, 2);
place('nw_ecn', 'nw_tos', 1, 3n);
for (const p of ['tcp', 'udp', 'sctp']) {
  place(`${p}_src`, 'tp_src', 2);
  place(`${p}_dst`, 'tp_dst', 2);
}
place('icmp_type', 'tp_src', 2);
place('icmp_code', 'tp_dst', 2);
place('icmpv6_type', 'tp_src', 2);
place('icmpv6_code', 'tp_dst', 2);
place('nd_sll', 'arp_sha', 6);
place('nd_tll', 'arp_tha', 6);
place('mpls_label', 'mpls_lse', 4, 0xfffff000n, 12);
place('mpls_tc', 'mpls_lse', 4, 0xe00n, 9);
place('mpls_bos', 'mpls_lse', 4, 0x100n, 8);
place('mpls_ttl', 'mpls_lse', 4, 0xffn);
// OVS keeps only the meaningful bits of these in struct flow.
place('ct_state', 'ct_state', 4, 0xffn);
place('tun_flags', 'tun_flags', 2, 1n);

/** Applies one field value to the model, as OVS's mf_set / mf_set_value would. */
export function applyField(fm: FlowMatch, f: OxmFieldDef, value: OxmValue, mask?: OxmValue): void {
  const name = f.name;
  if (f.prereq !== 'none') fm.ethernetImplied = true;
  const width = f.width || (value instanceof Uint8Array ? value.length : 0);
  let v = toBigInt(value);
  const full = ONES(width * 8);
  let m = mask === undefined ? full : toBigInt(mask);
  if (name === 'in_port') {
    v = port16to32(v);
    m = 0xffffffffn;
  } else if (name === 'vlan_pcp') {
    // match_set_dl_vlan_pcp: also sets the CFI ("VLAN present") bit.
    fm.setBits('vlan_tci', ((v & 7n) << 13n) | 0x1000n, 0xf000n, 0xf000n);
    return;
  } else if (name.startsWith('xreg') || name.startsWith('xxreg')) {
    const x = name.startsWith('xxreg');
    const n = Number(name.slice(x ? 5 : 4));
    const regs = x ? 4 : 2;
    for (let i = 0; i < regs; i++) {
      const sh = BigInt(32 * (regs - 1 - i));
      fm.set(`reg${n * regs + i}`, (v >> sh) & 0xffffffffn, (m >> sh) & 0xffffffffn, 32);
    }
    return;
  }
  const p = PLACE.get(name);
  if (!p) {
    if (f.width === 0) {
      // Present even when empty or fully wildcarded: the width map records presence.
      fm.width.set(name, width);
      fm.value.set(name, v & m);
      fm.mask.set(name, m);
      if (mask === undefined) fm.masked.delete(name);
      else fm.masked.add(name);
      return;
    }
    if (MASK_IS_VALUE.has(name)) {
      // A zero mask wildcards the field (mf_set_wild); anything else goes through the buggy setter.
      fm.setBits(name, v & m, m === 0n ? 0n : v, full);
      return;
    }
    fm.setBits(name, v, m, full);
    return;
  }
  if (p.shift) {
    v <<= BigInt(p.shift);
    m <<= BigInt(p.shift);
  } else if (mask === undefined) {
    m = p.bits;
  }
  fm.setBits(p.slot, v, m, p.bits);
}

/** The model of a wire match (raw entries are skipped: OVS cannot represent them either). */
export function flowFromMatch(m: Match): FlowMatch {
  const fm = new FlowMatch();
  for (const e of m) if (e.field !== null) applyField(fm, e.field, e.value, e.mask);
  return fm;
}

const F = (name: string): OxmFieldDef => fieldByName(name)!;

/** nxm_put: nothing for a zero mask, an exact entry for all-ones, else value&mask with the mask. */
function put(out: MatchEntry[], name: string, v: bigint, m: bigint, width?: number): void {
  if (m === 0n) return;
  const f = F(name);
  const w = width ?? f.width;
  const variable = f.width === 0;
  if (m === ONES(w * 8)) out.push({ field: f, value: fromBigInt(v, w, variable) });
  else out.push({ field: f, value: fromBigInt(v & m, w, variable), mask: fromBigInt(m, w, variable) });
}

/** Variable-width entries go out even when empty, with their mask whenever one was given. */
function putVariable(out: MatchEntry[], name: string, v: bigint, m: bigint, w: number, masked: boolean): void {
  const f = F(name);
  if (!masked && m === ONES(w * 8)) out.push({ field: f, value: fromBigInt(v, w, true) });
  else out.push({ field: f, value: fromBigInt(v & m, w, true), mask: fromBigInt(m, w, true) });
}

function putSlot(out: MatchEntry[], fm: FlowMatch, name: string, slot = name): void {
  put(out, name, fm.get(slot), fm.maskOf(slot));
}

const ETH_IP = 0x0800n;
const ETH_IPV6 = 0x86ddn;
/** OpenFlow 1.3 fields OVS does not implement: kept as plain slots, emitted last. */
export const NOT_IN_OVS = ['in_phy_port', 'pbb_isid', 'pbb_uca', 'ipv6_exthdr'];

/** The OF1.3 entries for a model, in OVS's order with its implied entries (nx-match.c nx_put_raw). */
export function matchFromFlow(fm: FlowMatch): MatchEntry[] {
  const out: MatchEntry[] = [];
  const dlType = fm.maskOf('dl_type') ? fm.get('dl_type') : 0n;
  const ptDefault = fm.get('packet_type') === 0n && fm.maskOf('packet_type') === 0xffffffffn;
  if (!ptDefault) putSlot(out, fm, 'packet_type');
  putSlot(out, fm, 'dp_hash');
  putSlot(out, fm, 'recirc_id');
  putSlot(out, fm, 'conj_id');
  if (fm.maskOf('in_port')) put(out, 'in_port_oxm', fm.get('in_port'), 0xffffffffn);
  putSlot(out, fm, 'actset_output');
  putSlot(out, fm, 'eth_src', 'dl_src');
  putSlot(out, fm, 'eth_dst', 'dl_dst');
  putSlot(out, fm, 'eth_type', 'dl_type');

  const tci = fm.get('vlan_tci');
  const tciMask = fm.maskOf('vlan_tci');
  const vid = tci & 0x1fffn;
  // OVS sends VID+CFI as an exact vlan_vid when both are fully matched.
  put(out, 'vlan_vid', vid, (tciMask & 0x1fffn) === 0x1fffn ? 0xffffn : tciMask & 0x1fffn);
  if (vid && tciMask & 0xe000n) put(out, 'vlan_pcp', (tci >> 13n) & 7n, 0xffn);

  if (dlType === 0x8847n || dlType === 0x8848n) {
    const lse = fm.get('mpls_lse');
    const lm = fm.maskOf('mpls_lse');
    if (lm & 0xe00n) put(out, 'mpls_tc', (lse >> 9n) & 7n, 0xffn);
    if (lm & 0x100n) put(out, 'mpls_bos', (lse >> 8n) & 1n, 0xffn);
    if (lm & 0xffn) put(out, 'mpls_ttl', lse & 0xffn, 0xffn);
    if (lm & 0xfffff000n) put(out, 'mpls_label', lse >> 12n, 0xffffffffn);
  }

  if (dlType === ETH_IP || dlType === ETH_IPV6) putIp(out, fm, dlType);
  else if (dlType === 0x0806n || dlType === 0x8035n) {
    if (fm.maskOf('nw_proto')) put(out, 'arp_op', fm.get('nw_proto'), 0xffffn);
    putSlot(out, fm, 'arp_spa', 'nw_src');
    putSlot(out, fm, 'arp_tpa', 'nw_dst');
    putSlot(out, fm, 'arp_sha');
    putSlot(out, fm, 'arp_tha');
  }

  putSlot(out, fm, 'tun_id');
  putSlot(out, fm, 'tun_flags');
  for (const n of ['tun_src', 'tun_dst', 'tun_ipv6_src', 'tun_ipv6_dst', 'tun_gbp_id', 'tun_gbp_flags']) putSlot(out, fm, n);
  for (let i = 0; i < 64; i++) {
    const n = `tun_metadata${i}`;
    const w = fm.width.get(n);
    if (w !== undefined) putVariable(out, n, fm.get(n), fm.maskOf(n), w, fm.masked.has(n));
  }
  for (const n of ['tun_erspan_idx', 'tun_erspan_ver', 'tun_erspan_dir', 'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype']) {
    putSlot(out, fm, n);
  }
  for (let i = 0; i < 16; i++) putSlot(out, fm, `reg${i}`);
  putSlot(out, fm, 'pkt_mark');
  for (const n of ['ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_src', 'ct_ipv6_src', 'ct_nw_dst', 'ct_ipv6_dst']) {
    putSlot(out, fm, n);
  }
  if (fm.get('ct_nw_proto')) {
    putSlot(out, fm, 'ct_nw_proto');
    putSlot(out, fm, 'ct_tp_src');
    putSlot(out, fm, 'ct_tp_dst');
  }
  putSlot(out, fm, 'metadata');
  for (const n of NOT_IN_OVS) putSlot(out, fm, n);
  // An explicit packet_type=eth goes first unless some L2+ entry already implies Ethernet.
  if (ptDefault && !out.some((e) => e.field.prereq !== 'none')) out.unshift({ field: F('packet_type'), value: 0 });
  return out;
}

function putIp(out: MatchEntry[], fm: FlowMatch, dlType: bigint): void {
  if (dlType === ETH_IP) {
    putSlot(out, fm, 'ip_src', 'nw_src');
    putSlot(out, fm, 'ip_dst', 'nw_dst');
  } else {
    putSlot(out, fm, 'ipv6_src');
    putSlot(out, fm, 'ipv6_dst');
  }
  const fragMask = fm.maskOf('nw_frag') & 3n;
  put(out, 'ip_frag', fm.get('nw_frag') & 3n, fragMask === 3n ? 0xffn : fragMask);
  const tos = fm.get('nw_tos');
  const tosMask = fm.maskOf('nw_tos');
  if (tosMask & 0xfcn) put(out, 'ip_dscp', tos >> 2n, 0xffn);
  if (tosMask & 3n) put(out, 'nw_ecn', tos & 3n, 0xffn);
  if (fm.maskOf('nw_ttl')) put(out, 'nw_ttl', fm.get('nw_ttl'), 0xffn);
  putSlot(out, fm, 'ipv6_label');
  if (!fm.maskOf('nw_proto')) return;
  const proto = fm.get('nw_proto');
  put(out, 'nw_proto', proto, 0xffn);
  const l4 = proto === 6n ? 'tcp' : proto === 17n ? 'udp' : proto === 132n ? 'sctp' : '';
  if (l4) {
    putSlot(out, fm, `${l4}_src`, 'tp_src');
    putSlot(out, fm, `${l4}_dst`, 'tp_dst');
    if (l4 === 'tcp') putSlot(out, fm, 'tcp_flags');
    return;
  }
  const icmp = dlType === ETH_IP && proto === 1n ? 'icmp' : dlType === ETH_IPV6 && proto === 58n ? 'icmpv6' : '';
  if (!icmp) return;
  if (fm.maskOf('tp_src')) put(out, `${icmp}_type`, fm.get('tp_src'), 0xffn);
  if (fm.maskOf('tp_dst')) put(out, `${icmp}_code`, fm.get('tp_dst'), 0xffn);
  const type = fm.get('tp_src');
  if (icmp === 'icmpv6' && (type === 135n || type === 136n) && fm.get('tp_dst') === 0n) {
    putSlot(out, fm, 'nd_reserved');
    putSlot(out, fm, 'nd_target');
    putSlot(out, fm, 'nd_options_type');
    if (type === 135n) putSlot(out, fm, 'nd_sll', 'arp_sha');
    else putSlot(out, fm, 'nd_tll', 'arp_tha');
  }
}

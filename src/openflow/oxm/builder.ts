import { EncodeError, ParseError } from '../errors.js';
import { fieldByName } from './fields.js';
import { applyField, FlowMatch, flowFromMatch, matchFromFlow, wantsRawValue } from './flow.js';
import { checkPrerequisites, prerequisiteMissing } from './prereq.js';
import type { Match, OxmFieldDef, OxmValue, RawMatchEntry } from './types.js';
import { parseInteger, parseValue } from './values.js';

/** Protocol shorthands: [dl_type, nw_proto?] (ofp-parse parse_protocol). */
const SHORTHANDS: Record<string, readonly [number, number?]> = {
  ip: [0x0800],
  ipv6: [0x86dd],
  icmp: [0x0800, 1],
  icmp6: [0x86dd, 58],
  tcp: [0x0800, 6],
  tcp6: [0x86dd, 6],
  udp: [0x0800, 17],
  udp6: [0x86dd, 17],
  sctp: [0x0800, 132],
  sctp6: [0x86dd, 132],
  arp: [0x0806],
  rarp: [0x8035],
  mpls: [0x8847],
  mplsm: [0x8848],
};

const OFP10_VLAN_NONE = 0xffffn;
/**
 * Names OVS prints in match text for fields it knows under another name (match_format: `gtpu_flags=0x30`).
 * ovs-ofctl 3.1 itself refuses them as input; we accept them so printed matches read back.
 */
const PRINTED_NAMES: Readonly<Record<string, string>> = { gtpu_flags: 'tun_gtpu_flags', gtpu_msgtype: 'tun_gtpu_msgtype' };
/** Text key for a TLV we do not know (whole TLV in hex), as formatMatch prints it. */
export const UNKNOWN_OXM = 'unknown_oxm';

/**
 * Builds a Match from ovs-ofctl `key=value` match text, as `ovs-ofctl -O OpenFlow13 parse-flow` would encode it:
 * OVS's entry order, with the implied prerequisite entries (eth_type, ip_proto...) and its vlan/tos/xreg mapping.
 */
export class MatchBuilder {
  private readonly fm = new FlowMatch();
  /** Which field (as the user named it) last set each model slot, to blame it when it cannot be encoded. */
  private readonly setBy = new Map<string, OxmFieldDef>();
  private readonly raw: RawMatchEntry[] = [];

  /** False when `key` is not a match field or shorthand (so the caller can try flow keywords). */
  add(key: string, value: string | undefined): boolean {
    const sh = SHORTHANDS[key];
    if (sh && value === undefined) {
      this.track(fieldByName('eth_type')!, () => {
        this.fm.set('dl_type', BigInt(sh[0]), 0xffffn, 16);
        if (sh[1] !== undefined) this.fm.set('nw_proto', BigInt(sh[1]), 0xffn, 8);
      });
      return true;
    }
    if (key === UNKNOWN_OXM) {
      this.raw.push(parseRawTlv(need(key, value)));
      return true;
    }
    if (key === 'eth' && value === undefined) {
      this.track(fieldByName('packet_type')!, () => this.fm.set('packet_type', 0n, 0xffffffffn, 32));
      return true;
    }
    if (key === 'dl_vlan' || key === 'dl_vlan_pcp') {
      this.addVlan(key, need(key, value));
      return true;
    }
    const f = fieldByName(PRINTED_NAMES[key] ?? key);
    if (!f) return false;
    // OVS keeps one location per tun_metadata field: a second setting is refused (tun_metadata_set_match).
    if (f.width === 0 && this.fm.width.has(f.name)) throw new ParseError(`field ${f.name} set multiple times`);
    if (f.width === 0 && !value) {
      // `tun_metadata1` (or `tun_metadata1=`): OVS matches it present with an empty mask, as it prints it.
      const empty = new Uint8Array(0);
      this.track(f, () => applyField(this.fm, f, empty, empty));
      return true;
    }
    const text = need(key, value);
    const { value: parsed, mask } = parseValue(f, text);
    if (mask !== undefined && !f.maskable) throw new ParseError(`${key}: field does not support masking`);
    // These fields keep the value as given, not ANDed with the mask (see wantsRawValue).
    const v = mask !== undefined && wantsRawValue(f) ? parseValue(f, text.slice(0, text.indexOf('/'))).value : parsed;
    this.track(f, () => applyField(this.fm, f, v, mask));
    return true;
  }

  /** Adds a typed value (e.g. a subfield match merged into value/mask), with OVS's mf_set semantics. */
  addField(f: OxmFieldDef, value: OxmValue, mask?: OxmValue): void {
    if (mask !== undefined && !f.maskable) throw new ParseError(`${f.name}: field does not support masking`);
    this.track(f, () => applyField(this.fm, f, value, mask));
  }

  /** OF1.0-style VLAN keywords: dl_vlan sets VID and the CFI bit (0xffff: no VLAN), dl_vlan_pcp sets PCP and CFI. */
  private addVlan(key: string, text: string): void {
    const n = parseInteger(text);
    const f = fieldByName(key === 'dl_vlan' ? 'vlan_vid' : 'vlan_pcp')!;
    this.track(f, () => {
      if (key === 'dl_vlan_pcp') {
        if (n > 7n) throw new ParseError(`${text}: dl_vlan_pcp out of range`);
        applyField(this.fm, f, Number(n));
      } else if (n === OFP10_VLAN_NONE) {
        this.fm.setBits('vlan_tci', 0n, 0xffffn, 0xffffn);
      } else {
        if (n > 0xfffn) throw new ParseError(`${text}: dl_vlan out of range`);
        this.fm.setBits('vlan_tci', n | 0x1000n, 0x1fffn, 0x1fffn);
      }
    });
  }

  private track(f: OxmFieldDef, change: () => void): void {
    const before = new Map(this.fm.value);
    const beforeMask = new Map(this.fm.mask);
    change();
    for (const [slot, m] of this.fm.mask) {
      if (beforeMask.get(slot) !== m || before.get(slot) !== this.fm.value.get(slot)) this.setBy.set(slot, f);
    }
  }

  /** The entries in OVS's wire order; EncodeError when a field's prerequisite is missing. */
  build(): Match {
    const entries = matchFromFlow(this.fm);
    const back = flowFromMatch(entries);
    for (const [slot, m] of this.fm.mask) {
      // A slot that vanished was dropped for a missing prerequisite (OVS drops it silently; we refuse).
      if (m === 0n || back.maskOf(slot) !== 0n) continue;
      if (slot === 'packet_type' && this.fm.get(slot) === 0n) continue; // implied by the L2+ entries

      const f = this.setBy.get(slot);
      const why = f ? prerequisiteMissing(f, entries) : '';
      throw new EncodeError(f && why ? `${f.name} requires ${why}` : `${f?.name ?? slot}: cannot be expressed in an OpenFlow 1.3 match`);
    }
    checkPrerequisites(entries);
    return this.raw.length ? [...entries, ...this.raw] : entries;
  }
}

/** One whole TLV in hex whose length byte agrees with its size. */
function parseRawTlv(text: string): RawMatchEntry {
  const m = /^0x((?:[0-9a-fA-F]{2})+)$/.exec(text);
  const raw = m ? Uint8Array.from(Buffer.from(m[1], 'hex')) : undefined;
  if (!raw || raw.length < 4 || raw.length !== 4 + raw[3]) throw new ParseError(`${text}: not a whole OXM TLV in hex`);
  return { field: null, raw };
}

function need(key: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new ParseError(`field ${key} missing value`);
  return value;
}

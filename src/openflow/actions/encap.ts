import type { Reader, Writer } from '../bytes.js';
import { ParseError } from '../errors.js';
import type { OxmFieldDef } from '../oxm/types.js';
import { NXAST } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { decodeFieldHeader, encodeFieldHeader, fieldByName } from './oxm.js';
import { parseUint } from './ports.js';
import { splitKeyValues } from './text.js';
import type { Action } from './types.js';

type Encap = Extract<Action, { type: 'encap' }>;
type Decap = Extract<Action, { type: 'decap' }>;

/** Packet types (namespace << 16 | type) that encap() names. */
const PT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00000000, 'ethernet'],
  [0x0001894f, 'nsh'],
  [0x00018847, 'mpls'],
  [0x00018848, 'mpls_mc'],
]);
/** decap(): take the next header's type from the packet. */
const PT_USE_NEXT_PROTO = 0x0000fffe;
/** ofp_ed_prop classes/types for NSH: md_type (u8) and md2 TLVs. */
const PROP_CLASS_NSH = 4;
const PROP_MD_TYPE = 1;
const PROP_TLV = 2;

/** nx_action_encap: hdr_size, new_pkt_type, then ofp_ed_prop properties (only NSH ones exist). */
export function decodeEncap(r: Reader): Encap | null {
  const hdrSize = r.u16();
  const packetType = r.u32();
  if (!PT_NAMES.has(packetType)) return null;
  const a: Encap = { type: 'encap', hdrSize, packetType, tlvs: [] };
  while (r.end - r.pos >= 4) {
    const at = r.pos;
    const cls = r.u16();
    const type = r.u8();
    const len = r.u8();
    if (cls !== PROP_CLASS_NSH || packetType !== 0x0001894f) return null;
    if (type === PROP_MD_TYPE && len === 5) {
      a.mdType = r.u8();
    } else if (type === PROP_TLV && len >= 8) {
      const tlvClass = r.u16();
      const tlvType = r.u8();
      const n = r.u8();
      if (8 + n > len) return null;
      a.tlvs.push({ tlvClass, tlvType, value: r.copy(n, 'nsh tlv') });
    } else {
      return null;
    }
    r.pos = at;
    r.skip(Math.ceil(len / 8) * 8, 'encap property');
  }
  return a;
}

export function encodeEncap(w: Writer, a: Encap): void {
  const s = nxHeader(w, NXAST.ENCAP);
  w.u16(a.hdrSize);
  w.u32(a.packetType);
  if (a.mdType !== undefined) {
    w.u16(PROP_CLASS_NSH);
    w.u8(PROP_MD_TYPE);
    w.u8(5);
    w.u8(a.mdType);
    w.zeros(3);
  }
  for (const t of a.tlvs) {
    const len = Math.ceil((8 + t.value.length) / 8) * 8;
    w.u16(PROP_CLASS_NSH);
    w.u8(PROP_TLV);
    w.u8(len);
    w.u16(t.tlvClass);
    w.u8(t.tlvType);
    w.u8(t.value.length);
    w.bytes(t.value);
    w.zeros(len - 8 - t.value.length);
  }
  endAction(w, s);
}

function tlvHex(v: Uint8Array): string {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return '0x' + n.toString(16);
}

export function formatEncap(a: Encap): string {
  const name = PT_NAMES.get(a.packetType) ?? `0x${a.packetType.toString(16)}`;
  const props: string[] = [];
  if (a.mdType !== undefined) props.push(`md_type=${a.mdType}`);
  for (const t of a.tlvs) props.push(`tlv(0x${t.tlvClass.toString(16)},${t.tlvType},${tlvHex(t.value)})`);
  return props.length ? `encap(${name}(${props.join(',')}))` : `encap(${name})`;
}

/** `encap(ethernet)`, `encap(mpls)`, `encap(nsh(md_type=2,tlv(0x1000,10,0x12345678)))`. */
export function parseEncap(text: string): Encap {
  const [kv, ...extra] = splitKeyValues(text);
  if (!kv || extra.length) throw new ParseError(`encap: expected one header in "${text}"`);
  const pt = [...PT_NAMES].find(([, n]) => n === kv.key);
  if (!pt) throw new ParseError(`encap: unknown header "${kv.key}"`);
  const a: Encap = { type: 'encap', hdrSize: 0, packetType: pt[0], tlvs: [] };
  if (kv.delim !== '(') return a;
  if (kv.key !== 'nsh') throw new ParseError(`encap(${kv.key}) takes no properties`);
  for (const p of splitKeyValues(kv.value)) {
    if (p.key === 'md_type') {
      a.mdType = parseUint(p.value, 255, 'nsh md_type');
    } else if (p.key === 'tlv') {
      const m = /^(0x[0-9a-f]+|\d+),(0x[0-9a-f]+|\d+),0x([0-9a-f]+)$/i.exec(p.value);
      if (!m) throw new ParseError(`encap: bad tlv "${p.value}"`);
      // Like ovs-ofctl: hex digits pair up from the left and an odd last digit is dropped.
      const h = m[3].slice(0, m[3].length & ~1);
      a.tlvs.push({ tlvClass: parseUint(m[1], 0xffff, 'tlv class'), tlvType: parseUint(m[2], 255, 'tlv type'), value: new Uint8Array(Buffer.from(h, 'hex')) });
    } else {
      throw new ParseError(`encap: unknown nsh property "${p.key}"`);
    }
  }
  return a;
}

/** nx_action_decap: pad, new_pkt_type. */
export function decodeDecap(r: Reader): Decap {
  r.skip(2);
  return { type: 'decap', packetType: r.u32() };
}

export function encodeDecap(w: Writer, a: Decap): void {
  const s = nxHeader(w, NXAST.DECAP);
  w.zeros(2);
  w.u32(a.packetType);
  endAction(w, s);
}

export function formatDecap(a: Decap): string {
  if (a.packetType === PT_USE_NEXT_PROTO) return 'decap()';
  const type = a.packetType & 0xffff;
  return `decap(packet_type(ns=${a.packetType >>> 16},type=${type ? '0x' + type.toString(16) : '0'}))`;
}

/** `decap()` or `decap(packet_type(ns=N,type=T))`. */
export function parseDecap(text: string): Decap {
  if (!text) return { type: 'decap', packetType: PT_USE_NEXT_PROTO };
  const m = /^packet_type\(ns=(\w+),type=(\w+)\)$/.exec(text.trim());
  if (!m) throw new ParseError(`decap: bad argument "${text}"`);
  return { type: 'decap', packetType: parseUint(m[1], 0xffff, 'decap ns') * 0x10000 + parseUint(m[2], 0xffff, 'decap type') };
}

type DeleteField = Extract<Action, { type: 'delete_field' }>;

/** nx_action_delete_field: the field's header (tun_metadata only, in practice). */
export function decodeDeleteField(r: Reader): DeleteField | null {
  const h = decodeFieldHeader(r);
  return h.field ? { type: 'delete_field', field: h.field } : null;
}

export function encodeDeleteField(w: Writer, field: OxmFieldDef): void {
  const s = nxHeader(w, NXAST.DELETE_FIELD);
  encodeFieldHeader(w, field);
  // struct nx_action_delete_field is 24 bytes whatever the header size.
  if (w.pos - s < 24) w.zeros(24 - (w.pos - s));
  endAction(w, s);
}

export function parseDeleteField(name: string): DeleteField {
  const field = fieldByName(name);
  if (!field) throw new ParseError(`delete_field: unknown field "${name}"`);
  return { type: 'delete_field', field };
}

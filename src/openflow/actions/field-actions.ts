import type { Reader, Writer } from '../bytes.js';
import { DecodeError, EncodeError, ParseError } from '../errors.js';
import type { OxmFieldDef, OxmValue, Subfield } from '../oxm/types.js';
import { NXAST, OFPAT } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { parseBigUint, parseUint } from './ports.js';
import {
  decodeFieldHeader,
  decodeOxmEntry,
  encodeFieldHeader,
  encodeOxmEntry,
  fieldByHeader,
  fieldByName,
  formatSubfield,
  formatValue,
  parseSubfield,
  parseValue,
  readFieldValue,
} from './oxm.js';
import type { Action } from './types.js';

type SetField = Extract<Action, { type: 'set_field' }>;
type Move = Extract<Action, { type: 'move' }>;
type OutputReg = Extract<Action, { type: 'output_reg' }>;
type CheckPktLarger = Extract<Action, { type: 'check_pkt_larger' }>;

// ---- subfields on the wire: an NXM header plus ofs/n_bits kept elsewhere in the action ----

/** Reads an NXM header naming a subfield; null when the field is unknown (the action is then kept raw). */
export function readSubfieldHeader(r: Reader, ofsNbits: number): Subfield | null {
  return readSubfield(r, ofsNbits >>> 6, (ofsNbits & 63) + 1);
}

function readSubfield(r: Reader, ofs: number, nBits: number): Subfield | null {
  const at = r.pos;
  const h = decodeFieldHeader(r);
  if (!h.field) return null;
  if (ofs + nBits > h.field.bits || nBits < 1) {
    throw new DecodeError(`${h.field.name}[${ofs}..${ofs + nBits - 1}] is outside the ${h.field.bits}-bit field`, at);
  }
  return { field: h.field, ofs, nBits };
}

/** Writes the field header of a subfield; `size` 4 for actions whose header slot is a plain be32. */
export function writeSubfieldHeader(w: Writer, sf: Subfield, size?: 4): void {
  const at = w.pos;
  encodeFieldHeader(w, sf.field);
  if (size && w.pos - at !== size) throw new EncodeError(`${sf.field.name} has no 4-byte NXM header for this action`);
}

function ofsNbits(sf: Subfield): number {
  return (sf.ofs << 6) | (sf.nBits - 1);
}

function checkSubfield(sf: Subfield): void {
  if (sf.nBits < 1 || sf.ofs < 0 || sf.ofs + sf.nBits > sf.field.bits) {
    throw new EncodeError(`${sf.field.name}[${sf.ofs}..${sf.ofs + sf.nBits - 1}] is outside the field`);
  }
}

// ---- value conversions (DESIGN.md value representation) ----

export function valueToBig(v: OxmValue): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return v;
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
}

/** A bigint as the field's value representation (DESIGN.md): number up to 6 bytes, bigint for 8/16, bytes otherwise. */
export function bigToValue(f: OxmFieldDef, n: bigint, width = f.width): OxmValue {
  if (width && width <= 6) return Number(n);
  if (width === 8 || width === 16) return n;
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** Bytes of a value: the field's width, or the value's own length for variable-width fields. */
function valueBytes(f: OxmFieldDef, v: OxmValue): number {
  return f.width || (v instanceof Uint8Array ? v.length : 0);
}

// ---- set_field / reg_load / reg_load2 ----

/** OFPAT_SET_FIELD: one OXM entry, no mask in OpenFlow 1.3 (OVS answers OFPBAC_BAD_SET_LEN). */
export function decodeSetField(r: Reader): SetField | null {
  // Hot path: read the OXM straight into the action, no intermediate entry object.
  const at = r.pos;
  const cls = r.u16();
  const fb = r.u8();
  let len = r.u8();
  let exp: number | undefined;
  if (cls === 0xffff) {
    if (len < 4) throw new DecodeError(`experimenter OXM length ${len} < 4`, at);
    exp = r.u32();
    len -= 4;
  }
  r.need(len, 'set_field value');
  const field = fieldByHeader(cls, fb >>> 1, exp);
  if (!field) return null;
  if (fb & 1) throw new DecodeError(`set_field of ${field.name} carries a mask`, at);
  // A variable-width value may be empty: OVS sends set_field:0->tun_metadata0 with no value bytes.
  if (field.width && len !== field.width) throw new DecodeError(`set_field of ${field.name} has a ${len}-byte value`, at);
  return { type: 'set_field', field, value: readFieldValue(r, field.width, len) };
}

function fromEntry(e: ReturnType<typeof decodeOxmEntry>): SetField | null {
  if (e.field === null) return null;
  return e.mask === undefined ? { type: 'set_field', field: e.field, value: e.value } : { type: 'set_field', field: e.field, value: e.value, mask: e.mask };
}

export function decodeRegLoad(r: Reader): Action | null {
  const on = r.u16();
  const dst = readSubfieldHeader(r, on);
  const value = r.u64();
  if (!dst) return null;
  if (dst.nBits < 64 && value >> BigInt(dst.nBits) !== 0n) {
    throw new DecodeError(`reg_load value ${value} does not fit in ${dst.nBits} bits`, r.pos - 8);
  }
  return { type: 'reg_load', dst, value };
}

/** NXAST_REG_LOAD2: an OXM entry (value/mask) straight after the 10-byte header. */
export function decodeRegLoad2(r: Reader): SetField | null {
  const a = fromEntry(decodeOxmEntry(r));
  if (a) a.wire = 'reg_load2';
  return a;
}

export function encodeRegLoad(w: Writer, dst: Subfield, value: bigint): void {
  checkSubfield(dst);
  if (dst.nBits > 64 || value >> BigInt(dst.nBits) !== 0n) throw new EncodeError(`load: ${value} does not fit ${dst.nBits} bits (max 64)`);
  const s = nxHeader(w, NXAST.REG_LOAD);
  w.u16(ofsNbits(dst));
  writeSubfieldHeader(w, dst, 4);
  w.u64(value);
  endAction(w, s);
}

/** Whether the field can be named by the be32 header of NXAST_REG_LOAD (no experimenter class, fixed width). */
function fitsRegLoad(f: OxmFieldDef): boolean {
  return f.width !== 0 && f.nxmClass !== 0xffff;
}

/**
 * OF1.3 has no masked set_field, so OVS sends a masked one as NXAST_REG_LOAD actions, one per contiguous
 * run of mask bits (at most 64 bits each), or as one NXAST_REG_LOAD2 when the field needs it.
 */
export function encodeSetField(w: Writer, a: SetField): void {
  const mask = a.mask === undefined || isAllOnes(a.field, a.value, a.mask) ? undefined : a.mask;
  if (mask === undefined && a.wire !== 'reg_load2') {
    const s = w.pos;
    w.u16(OFPAT.SET_FIELD);
    w.u16(0);
    encodeOxmEntry(w, a.mask === undefined ? a : { field: a.field, value: a.value });
    endAction(w, s);
    return;
  }
  if (a.wire === 'reg_load2' || !fitsRegLoad(a.field)) {
    const s = nxHeader(w, NXAST.REG_LOAD2);
    encodeOxmEntry(w, a.mask === undefined ? { field: a.field, value: a.value } : { field: a.field, value: a.value, mask: a.mask });
    endAction(w, s);
    return;
  }
  for (const seg of loadSegments(a.field, valueToBig(a.value), valueToBig(mask!))) encodeRegLoad(w, seg.dst, seg.value);
}

/**
 * An all-ones mask is no mask: OVS then sends a plain set_field. OVS measures it over the field's full size,
 * which for a variable-width field (tun_metadata) is its 124-byte maximum: a mask there always counts.
 */
function isAllOnes(f: OxmFieldDef, value: OxmValue, mask: OxmValue): boolean {
  if (f.width === 0) return false;
  const bits = valueBytes(f, value) * 8;
  return valueToBig(mask) === (1n << BigInt(bits)) - 1n;
}

/** Bytes needed for `n` (0 for zero), as OVS's mf_field_len counts a variable-width value. */
function significantBytes(n: bigint): number {
  let len = 0;
  for (; n > 0n; n >>= 8n) len++;
  return len;
}

/**
 * `load:` to a field NXAST_REG_LOAD cannot name (variable width or experimenter class): OVS sends the
 * value/mask as one NXAST_REG_LOAD2 and prints it back as set_field. The mask is dropped only when the
 * load covers the whole field; a variable-width value is as long as the longer of value and mask.
 */
function loadAsSetField(dst: Subfield, value: bigint): SetField {
  const f = dst.field;
  const v = value << BigInt(dst.ofs);
  const m = ((1n << BigInt(dst.nBits)) - 1n) << BigInt(dst.ofs);
  const whole = dst.ofs === 0 && dst.nBits === (f.width ? f.width * 8 : f.bits);
  const width = f.width || Math.max(significantBytes(v), whole ? 0 : significantBytes(m));
  const conv = (n: bigint): OxmValue => (f.width ? bigToValue(f, n) : bytesOf(n, width));
  const a: SetField = { type: 'set_field', field: f, value: conv(v), wire: 'reg_load2' };
  if (!whole) a.mask = conv(m);
  return a;
}

function bytesOf(n: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function loadSegments(field: OxmFieldDef, value: bigint, mask: bigint): Array<{ dst: Subfield; value: bigint }> {
  const out: Array<{ dst: Subfield; value: bigint }> = [];
  const bits = field.width * 8;
  let ofs = 0;
  while (ofs < bits) {
    if (!((mask >> BigInt(ofs)) & 1n)) {
      ofs++;
      continue;
    }
    let n = 0;
    while (ofs + n < bits && n < 64 && (mask >> BigInt(ofs + n)) & 1n) n++;
    out.push({ dst: { field, ofs, nBits: n }, value: (value >> BigInt(ofs)) & ((1n << BigInt(n)) - 1n) });
    ofs += n;
  }
  return out;
}

export function formatSetField(a: SetField): string {
  return `set_field:${formatValue(a.field, a.value, a.mask)}->${a.field.name}`;
}

export function formatRegLoad(a: Extract<Action, { type: 'reg_load' }>): string {
  return `load:${a.value ? '0x' + a.value.toString(16) : '0'}->${formatSubfield(a.dst)}`;
}

function fieldNamed(name: string): OxmFieldDef {
  const f = fieldByName(name);
  if (!f) throw new ParseError(`unknown field "${name}"`);
  return f;
}

function splitArrow(text: string, what: string): [string, string] {
  const i = text.indexOf('->');
  if (i < 0) throw new ParseError(`${what}: missing "->" in "${text}"`);
  return [text.slice(0, i), text.slice(i + 2)];
}

/** `set_field:VALUE[/MASK]->FIELD`. */
export function parseSetField(text: string): SetField {
  const [v, name] = splitArrow(text, 'set_field');
  const field = fieldNamed(name);
  if (!field.writable) throw new ParseError(`set_field: ${field.name} is not writable`);
  const { value, mask } = parseValue(field, v);
  return mask === undefined ? { type: 'set_field', field, value } : { type: 'set_field', field, value, mask };
}

/** `load:VALUE->DST[ofs..end]`: NXAST_REG_LOAD, split in 64-bit pieces like OVS does for wide subfields. */
export function parseRegLoad(text: string): Action[] {
  const [v, d] = splitArrow(text, 'load');
  const dst = parseSubfield(d);
  const value = parseBigUint(v, dst.nBits, 'load value');
  if (!fitsRegLoad(dst.field)) return [loadAsSetField(dst, value)];
  if (dst.nBits <= 64) return [{ type: 'reg_load', dst, value }];
  const mask = ((1n << BigInt(dst.nBits)) - 1n) << BigInt(dst.ofs);
  return loadSegments(dst.field, value << BigInt(dst.ofs), mask).map((s) => ({ type: 'reg_load' as const, dst: s.dst, value: s.value }));
}

// ---- move ----

export function decodeRegMove(r: Reader): Move | null {
  const nBits = r.u16();
  const srcOfs = r.u16();
  const dstOfs = r.u16();
  const src = readSubfield(r, srcOfs, nBits);
  const dst = readSubfield(r, dstOfs, nBits);
  if (!src || !dst) return null;
  return { type: 'move', src, dst };
}

export function encodeRegMove(w: Writer, a: Move): void {
  checkSubfield(a.src);
  checkSubfield(a.dst);
  if (a.src.nBits !== a.dst.nBits) throw new EncodeError('move: source and destination widths differ');
  const s = nxHeader(w, NXAST.REG_MOVE);
  w.u16(a.src.nBits);
  w.u16(a.src.ofs);
  w.u16(a.dst.ofs);
  writeSubfieldHeader(w, a.src);
  writeSubfieldHeader(w, a.dst);
  endAction(w, s);
}

export function formatMove(a: Move): string {
  return `move:${formatSubfield(a.src)}->${formatSubfield(a.dst)}`;
}

export function parseMove(text: string): Move {
  const [s, d] = splitArrow(text, 'move');
  const src = parseSubfield(s);
  const dst = parseSubfield(d);
  if (src.nBits !== dst.nBits) throw new ParseError(`move: ${s} and ${d} differ in width`);
  return { type: 'move', src, dst };
}

// ---- output_reg ----

export function decodeOutputReg(r: Reader): OutputReg | null {
  const on = r.u16();
  const src = readSubfieldHeader(r, on);
  const maxLen = r.u16();
  return src ? { type: 'output_reg', src, maxLen } : null;
}

export function decodeOutputReg2(r: Reader): OutputReg | null {
  const on = r.u16();
  const maxLen = r.u16();
  const src = readSubfieldHeader(r, on);
  return src ? { type: 'output_reg', src, maxLen, wire: 'output_reg2' } : null;
}

export function encodeOutputReg(w: Writer, a: OutputReg): void {
  checkSubfield(a.src);
  // Unlike reg_load, NXAST_OUTPUT_REG takes variable-width fields too: only an experimenter header needs REG2.
  const two = a.wire === 'output_reg2' || a.src.field.nxmClass === 0xffff;
  const s = nxHeader(w, two ? NXAST.OUTPUT_REG2 : NXAST.OUTPUT_REG);
  w.u16(ofsNbits(a.src));
  if (two) {
    w.u16(a.maxLen);
    writeSubfieldHeader(w, a.src);
  } else {
    writeSubfieldHeader(w, a.src, 4);
    w.u16(a.maxLen);
  }
  endAction(w, s);
}

// ---- stack push/pop ----

export function decodeStack(r: Reader, push: boolean): Action | null {
  const ofs = r.u16();
  const at = r.pos;
  const h = decodeFieldHeader(r);
  const nBits = r.u16();
  if (!h.field) return null;
  r.pos = at;
  const sf = readSubfield(r, ofs, nBits);
  r.skip(2);
  if (!sf) return null;
  return push ? { type: 'stack_push', sf } : { type: 'stack_pop', sf };
}

export function encodeStack(w: Writer, sf: Subfield, push: boolean): void {
  checkSubfield(sf);
  const s = nxHeader(w, push ? NXAST.STACK_PUSH : NXAST.STACK_POP);
  w.u16(sf.ofs);
  writeSubfieldHeader(w, sf);
  w.u16(sf.nBits);
  endAction(w, s);
}

// ---- check_pkt_larger ----

export function decodeCheckPktLarger(r: Reader): CheckPktLarger | null {
  const pktLen = r.u16();
  const ofs = r.u16();
  const dst = readSubfield(r, ofs, 1);
  return dst ? { type: 'check_pkt_larger', pktLen, dst } : null;
}

export function encodeCheckPktLarger(w: Writer, a: CheckPktLarger): void {
  checkSubfield(a.dst);
  const s = nxHeader(w, NXAST.CHECK_PKT_LARGER);
  w.u16(a.pktLen);
  w.u16(a.dst.ofs);
  writeSubfieldHeader(w, a.dst);
  endAction(w, s);
}

/** `check_pkt_larger(LEN)->DST` where DST is a 1-bit subfield. */
export function parseCheckPktLarger(arg: string, rest: string): CheckPktLarger {
  if (!rest.startsWith('->')) throw new ParseError(`check_pkt_larger: expected "->" after (${arg})`);
  const dst = parseSubfield(rest.slice(2));
  if (dst.nBits !== 1) throw new ParseError('check_pkt_larger: destination must be a single bit');
  return { type: 'check_pkt_larger', pktLen: parseUint(arg, 0xffff, 'check_pkt_larger length'), dst };
}

/** A field header followed by a 16-bit bit offset (learn specs). */
export function readHeaderAndOfs(r: Reader, nBits: number): Subfield | null {
  const at = r.pos;
  const h = decodeFieldHeader(r);
  const ofs = r.u16();
  if (!h.field) return null;
  if (ofs + nBits > h.field.bits) throw new DecodeError(`${h.field.name}[${ofs}..${ofs + nBits - 1}] is outside the field`, at);
  return { field: h.field, ofs, nBits };
}

export function writeHeaderAndOfs(w: Writer, sf: Subfield): void {
  writeSubfieldHeader(w, sf);
  w.u16(sf.ofs);
}

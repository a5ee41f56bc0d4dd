import { Reader, Writer } from '../bytes.js';
import { DecodeError, EncodeError } from '../errors.js';
import { fieldByHeader, OFPXMC_EXPERIMENTER } from './fields.js';
import type { Match, MatchEntry, OxmFieldDef, OxmValue, RawMatchEntry } from './types.js';

const OFPMT_OXM = 1;
/** Widest variable-width field (tun_metadata): what OVS puts in NX action headers for it. */
const TUN_METADATA_MAX = 124;

/** True when `v` is a number that fits `bytes` bytes (the Writer would silently truncate anything wider). */
function fits(v: OxmValue, bytes: number): v is number {
  return typeof v === 'number' && v >= 0 && v < 2 ** (bytes * 8);
}

function fitsBig(v: OxmValue, bits: bigint): v is bigint {
  return typeof v === 'bigint' && v >= 0n && v >> bits === 0n;
}

function writeValue(w: Writer, width: number, v: OxmValue, f: OxmFieldDef): void {
  if (v instanceof Uint8Array) {
    if (v.length !== width) throw new EncodeError(`${f.name}: ${v.length}-byte value for a ${width}-byte field`);
    w.bytes(v);
    return;
  }
  switch (width) {
    case 1:
      if (fits(v, 1)) return w.u8(v);
      break;
    case 2:
      if (fits(v, 2)) return w.u16(v);
      break;
    case 3:
      if (fits(v, 3)) return w.u24(v);
      break;
    case 4:
      if (fits(v, 4)) return w.u32(v);
      break;
    case 6:
      if (fits(v, 6)) return w.u48(v);
      break;
    case 8:
      if (fitsBig(v, 64n)) return w.u64(v);
      break;
    case 16:
      if (fitsBig(v, 128n)) return w.u128(v);
      break;
  }
  throw new EncodeError(`${f.name}: value ${String(v)} does not fit a ${width}-byte field`);
}

/**
 * Reads a field value of `len` bytes in the representation DESIGN.md fixes: numbers up to 6 bytes,
 * bigints for 8 and 16, a copy otherwise. `width` is the field's fixed width (0: variable-width field).
 */
export function readFieldValue(r: Reader, width: number, len = width): OxmValue {
  switch (width) {
    case 1:
      return r.u8();
    case 2:
      return r.u16();
    case 3:
      return r.u24();
    case 4:
      return r.u32();
    case 6:
      return r.u48();
    case 8:
      return r.u64();
    case 16:
      return r.u128();
    default:
      return r.copy(len, 'field value');
  }
}

/** Byte width of an entry's value: fixed for most fields, from the value itself for tun_metadata. */
function entryWidth(e: MatchEntry): number {
  if (e.field.width) return e.field.width;
  if (e.value instanceof Uint8Array) return e.value.length;
  throw new EncodeError(`${e.field.name}: a variable-width field needs a Uint8Array value`);
}

function writeHeader(w: Writer, cls: number, field: number, exp: number | undefined, hasMask: boolean, payload: number): void {
  const isExp = cls === OFPXMC_EXPERIMENTER;
  const len = payload + (isExp ? 4 : 0);
  if (len > 255) throw new EncodeError(`OXM payload of ${len} bytes does not fit the 8-bit length`);
  w.u16(cls);
  w.u8((field << 1) | (hasMask ? 1 : 0));
  w.u8(len);
  if (isExp) w.u32(exp ?? 0);
}

/** One OXM TLV (match entry, set_field action, packet-in match). */
export function encodeOxmEntry(w: Writer, e: MatchEntry | RawMatchEntry): void {
  if (e.field === null) {
    w.bytes(e.raw);
    return;
  }
  const f = e.field;
  const width = entryWidth(e);
  const hasMask = e.mask !== undefined;
  writeHeader(w, f.oxmClass, f.oxmField, f.experimenter, hasMask, hasMask ? width * 2 : width);
  writeValue(w, width, e.value, f);
  if (hasMask) writeValue(w, width, e.mask!, f);
}

/** One OXM TLV; unknown headers become a RawMatchEntry holding the exact bytes. */
export function decodeOxmEntry(r: Reader): MatchEntry | RawMatchEntry {
  const start = r.pos;
  r.need(4, 'OXM header');
  const cls = r.u16();
  const fb = r.u8();
  const len = r.u8();
  r.need(len, 'OXM payload');
  const end = r.pos + len;
  let payload = len;
  let exp: number | undefined;
  if (cls === OFPXMC_EXPERIMENTER) {
    if (len < 4) throw new DecodeError(`experimenter OXM length ${len} < 4`, start);
    exp = r.u32();
    payload -= 4;
  }
  const hasMask = (fb & 1) === 1;
  const field = fieldByHeader(cls, fb >>> 1, exp);
  if (!field) {
    r.pos = end;
    return { field: null, raw: r.buf.slice(start, end) };
  }
  const fixed = field.width !== 0;
  const expected = fixed ? field.width * (hasMask ? 2 : 1) : payload;
  // Variable-width fields may be empty (OVS sends tun_metadata0=0 as a zero-length TLV).
  if (payload !== expected || (hasMask && payload % 2 !== 0)) {
    throw new DecodeError(`${field.name}: OXM payload length ${payload}, expected ${fixed ? expected : 'an even number'}`, start);
  }
  const width = hasMask ? payload / 2 : payload;
  const value = readFieldValue(r, fixed ? width : 0, width);
  if (!hasMask) return { field, value };
  return { field, value, mask: readFieldValue(r, fixed ? width : 0, width) };
}

/** struct ofp_match: type OFPMT_OXM, length (excluding padding), the TLVs, zero padding to 8. */
export function encodeMatch(w: Writer, m: Match): void {
  const start = w.pos;
  w.u16(OFPMT_OXM);
  w.u16(0);
  for (let i = 0; i < m.length; i++) encodeOxmEntry(w, m[i]);
  w.patchU16(start + 2, w.pos - start);
  w.padTo(start, 8);
}

/** Reads a whole ofp_match including its padding. */
export function decodeMatch(r: Reader): Match {
  const start = r.pos;
  r.need(4, 'ofp_match header');
  const type = r.u16();
  const length = r.u16();
  if (type !== OFPMT_OXM) throw new DecodeError(`ofp_match type ${type} is not OFPMT_OXM`, start);
  if (length < 4) throw new DecodeError(`ofp_match length ${length} < 4`, start);
  const padded = (length + 7) & ~7;
  r.pos = start;
  r.need(padded, 'ofp_match');
  const savedEnd = r.end;
  const tlvEnd = start + length;
  r.pos = start + 4;
  r.end = tlvEnd;
  const m: Match = [];
  try {
    while (r.pos < tlvEnd) m.push(decodeOxmEntry(r));
  } finally {
    r.end = savedEnd;
  }
  r.pos = start + padded;
  return m;
}

/** Header length byte OVS writes for a field in NX actions: the full width (doubled with a mask). */
function headerPayload(f: OxmFieldDef, hasMask: boolean): number {
  const width = f.width || TUN_METADATA_MAX;
  return hasMask ? width * 2 : width;
}

/** The NXM/OXM header (4 bytes, 8 for experimenter classes) that Nicira actions embed to name a field. */
export function encodeFieldHeader(w: Writer, f: OxmFieldDef, hasMask = false): void {
  writeHeader(w, f.nxmClass, f.nxmField, f.nxmExperimenter, hasMask, headerPayload(f, hasMask));
}

export interface FieldHeader {
  /** The field, or null when the header names no field we know. */
  readonly field: OxmFieldDef | null;
  /** The header bytes as read (4, or 8 with an experimenter id), to re-encode an unknown field verbatim. */
  readonly header: Uint8Array;
  readonly hasMask: boolean;
  /** Payload length from the header (experimenter id excluded). */
  readonly length: number;
}

/** Keeps the header as numbers: the bytes are only rebuilt if someone asks for them (decode path allocates no copy). */
class DecodedFieldHeader implements FieldHeader {
  constructor(
    readonly field: OxmFieldDef | null,
    /** The first 4 header bytes as a big-endian u32. */
    private readonly head: number,
    private readonly exp: number | undefined,
  ) {}

  get hasMask(): boolean {
    return ((this.head >>> 8) & 1) === 1;
  }

  get length(): number {
    return (this.head & 0xff) - (this.exp === undefined ? 0 : 4);
  }

  get header(): Uint8Array {
    const out = new Uint8Array(this.exp === undefined ? 4 : 8);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.head);
    if (this.exp !== undefined) v.setUint32(4, this.exp);
    return out;
  }
}

export function decodeFieldHeader(r: Reader): FieldHeader {
  const start = r.pos;
  r.need(4, 'NXM header');
  const head = r.u32();
  const cls = head >>> 16;
  let exp: number | undefined;
  if (cls === OFPXMC_EXPERIMENTER) {
    if ((head & 0xff) < 4) throw new DecodeError(`experimenter NXM header length ${head & 0xff} < 4`, start);
    exp = r.u32();
  }
  const field = fieldByHeader(cls, (head >>> 9) & 0x7f, exp) ?? null;
  return new DecodedFieldHeader(field, head, exp);
}

import { ParseError } from '../errors.js';
import { cidrLength, formatIpv4, formatIpv6, formatMac, ipv4, ipv6, mac } from './addresses.js';
import type { OxmFieldDef, OxmValue } from './types.js';

/** Field values as ovs-ofctl prints and parses them (meta-flow.c mf_format / mf_parse). */

/** Flag names by bit, lowest first, as OVS prints them in `+a-b` and `a|b` forms. */
export const CT_STATE_FLAGS = ['new', 'est', 'rel', 'rpl', 'inv', 'trk', 'snat', 'dnat'];
export const TCP_FLAG_NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ns', '[200]', '[400]', '[800]'];
export const TUN_FLAG_NAMES = ['oam'];
/** OVS compares the tun_flags mask with its internal flag mask, which a public mask never equals: always +/- form. */
export const TUN_FLAGS_NEVER_ALL = 0x10000;

/** ip_frag names: [name, mask, value] in OVS's lookup order (FLOW_NW_FRAG_ANY=1, FLOW_NW_FRAG_LATER=2). */
const FRAGS: ReadonlyArray<readonly [string, number, number]> = [
  ['no', 3, 0],
  ['first', 3, 1],
  ['later', 3, 3],
  ['no', 1, 0],
  ['yes', 1, 1],
  ['not_later', 2, 0],
  ['later', 2, 2],
];

/** OpenFlow 1.0 reserved port numbers; OF1.1+ ones are these plus 0xffff0000. */
const PORT_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['IN_PORT', 0xfff8],
  ['TABLE', 0xfff9],
  ['NORMAL', 0xfffa],
  ['FLOOD', 0xfffb],
  ['ALL', 0xfffc],
  ['CONTROLLER', 0xfffd],
  ['LOCAL', 0xfffe],
  ['ANY', 0xffff],
  ['UNSET', 0xfff7],
];

export function toBigInt(v: OxmValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  let b = 0n;
  for (let i = 0; i < v.length; i++) b = (b << 8n) | BigInt(v[i]);
  return b;
}

/** Converts to the representation DESIGN.md prescribes for a value `width` bytes wide. */
export function fromBigInt(b: bigint, width: number, variable = false): OxmValue {
  if (!variable && width <= 6) return Number(b);
  if (!variable && (width === 8 || width === 16)) return b;
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--, b >>= 8n) out[i] = Number(b & 0xffn);
  return out;
}

function valueWidth(f: OxmFieldDef, v: OxmValue): number {
  return f.width || (v instanceof Uint8Array ? v.length : 0);
}

function isAllOnes(v: OxmValue, width: number): boolean {
  return toBigInt(v) === (1n << BigInt(width * 8)) - 1n;
}

/** OVS ds_put_hex (and C's "%#x"): "0x" and the value without leading zeros, but plain "0" for zero. */
export function hex(v: OxmValue): string {
  const b = toBigInt(v);
  return b === 0n ? '0' : `0x${b.toString(16)}`;
}

/** OFPP11_MAX: OF1.1+ ports from here up are the reserved ones, OF1.0's 0xff00 and up moved by OFPP11_OFFSET. */
const OFPP11_MAX = 0xffffff00;
const OFPP11_OFFSET = 0xffff0000;

/** Port number as OVS names it (ofputil_format_port): reserved ports by name, others in OF1.0 decimal. */
export function formatPort(port: number, width: number): string {
  const p16 = width === 2 ? port : port >= OFPP11_MAX ? port - OFPP11_OFFSET : port;
  for (const [name, n] of PORT_NAMES) if (n === p16) return name;
  return String(p16);
}

/**
 * Port text as ofputil_port_from_string reads it: a reserved name, or a decimal OF1.0 port (0-0xffff) or
 * OF1.1 reserved port (0xffffff00-0xffffffff); anything between is refused. 4-byte fields get the OF1.1 number.
 */
export function parsePort(text: string, width: number, field = 'port'): number {
  // OVS also accepts NONE, its OpenFlow 1.0 name for ANY.
  const upper = text.toUpperCase() === 'NONE' ? 'ANY' : text.toUpperCase();
  let p16: number | undefined;
  for (const [name, n] of PORT_NAMES) if (name === upper) p16 = n;
  if (p16 === undefined) {
    // Port numbers are decimal only in OVS (0xfeff is refused).
    const v = /^\d+$/.test(text) ? Number(text) : -1;
    if (v >= 0 && v <= 0xffff) p16 = v;
    else if (v >= OFPP11_MAX && v <= 0xffffffff) p16 = v - OFPP11_OFFSET;
    // ovs-ofctl's wording differs between 16-bit (in_port) and 32-bit (actset_output) port fields.
    else throw new ParseError(`${text}: ${width === 2 ? 'invalid or unknown port' : 'port value out of range'} for ${field}`);
  }
  return width === 2 || p16 < 0xff00 ? p16 : p16 + OFPP11_OFFSET;
}

/** `+a-b` for the masked bits, lowest first; `a|b` when the mask is every bit (OVS format_flags_masked). */
export function formatFlags(names: readonly string[], value: number, mask: number, maxMask: number): string {
  if (mask === maxMask) {
    if (value === 0) return '0';
    const parts: string[] = [];
    for (let bit = 0; bit < 32; bit++) {
      const b = 2 ** bit;
      if (value & b) parts.push(names[bit] ?? `0x${b.toString(16)}`);
    }
    return parts.join('|');
  }
  if (mask === 0) return '0/0';
  let s = '';
  for (let bit = 0; bit < 32; bit++) {
    const b = 2 ** bit;
    if (mask & b) s += ((value & b) !== 0 ? '+' : '-') + (names[bit] ?? '[Unknown]');
  }
  return s;
}

/** `+a-b` (mask = named bits), `a|b` or a bare number (mask = `exactMask`), or `number/mask`. */
function parseFlags(names: readonly string[], text: string, exactMask: number, what: string): { value: number; mask: number } {
  if (/^[+-]/.test(text)) {
    let value = 0;
    let mask = 0;
    const re = /([+-])([^+-]+)/gy;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(text))) {
      const bit = names.indexOf(m[2]);
      if (bit < 0) throw new ParseError(`${what}: unknown flag ${m[2]}`);
      const b = 2 ** bit;
      if (mask & b) throw new ParseError(`${what}: each flag can be specified only once (${m[2]})`);
      mask |= b;
      if (m[1] === '+') value |= b;
      consumed = re.lastIndex;
    }
    if (consumed !== text.length) throw new ParseError(`${what}: bad flags ${text}`);
    return { value: value >>> 0, mask: mask >>> 0 };
  }
  if (/^\d|^0x/i.test(text)) {
    const [v, m] = splitMask(text);
    return { value: Number(parseInteger(v)), mask: m === undefined ? exactMask : Number(parseInteger(m)) };
  }
  let value = 0;
  for (const n of text.split('|')) {
    const bit = names.indexOf(n);
    if (bit < 0) throw new ParseError(`${what}: unknown flag ${n}`);
    value |= 2 ** bit;
  }
  return { value: value >>> 0, mask: exactMask };
}

export function formatFrag(value: number, mask: number): string {
  for (const [name, m, v] of FRAGS) if (m === mask && v === (value & mask)) return name;
  return `${hex(value)}/${hex(mask)}`;
}

/** Integer text: decimal or 0x hex, as OVS's strtoull-based parsers accept. */
export function parseInteger(text: string): bigint {
  if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(text)) throw new ParseError(`${text}: invalid integer`);
  return BigInt(text);
}

/** Addresses may also be given as 0x integers (how merged subfield matches reach the builder). */
function isHex(s: string): boolean {
  return /^0[xX][0-9a-fA-F]+$/.test(s);
}

function byteLength(v: bigint): number {
  return v === 0n ? 0 : Math.ceil(v.toString(16).length / 2);
}

function splitMask(text: string): [string, string | undefined] {
  const i = text.indexOf('/');
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/** A value as OVS prints it in set_field and in generic match output (mf_format). */
export function formatValue(f: OxmFieldDef, v: OxmValue, mask?: OxmValue): string {
  const width = valueWidth(f, v);
  // mf_format drops a mask of all ones over the field's full size: for a variable-width field that is its
  // 124-byte maximum, so any mask a value carries is printed (set_field:0x1/0xff->tun_metadata0).
  const m = mask !== undefined && !(f.width !== 0 && isAllOnes(mask, width)) ? mask : undefined;
  switch (f.format) {
    case 'mac':
      return formatMac(Number(v)) + (m !== undefined ? `/${formatMac(Number(m))}` : '');
    case 'ipv4': {
      if (m === undefined) return formatIpv4(Number(v));
      const n = cidrLength(toBigInt(m), 32);
      return `${formatIpv4(Number(v))}/${n >= 0 ? n : formatIpv4(Number(m))}`;
    }
    case 'ipv6': {
      if (m === undefined) return formatIpv6(toBigInt(v));
      const n = cidrLength(toBigInt(m), 128);
      return `${formatIpv6(toBigInt(v))}/${n >= 0 ? n : formatIpv6(toBigInt(m))}`;
    }
    case 'port':
      return formatPort(Number(v), width);
    case 'ct_state':
      return formatFlags(CT_STATE_FLAGS, Number(v), mask === undefined ? 0xff : Number(mask), 0xff);
    case 'tcp_flags':
      return formatFlags(TCP_FLAG_NAMES, Number(v), mask === undefined ? 0xfff : Number(mask) & 0xfff, 0xfff);
    case 'tun_flags':
      // Unmasked (set_field) prints the a|b form; masked prints +/- (see TUN_FLAGS_NEVER_ALL).
      return mask === undefined ? formatFlags(TUN_FLAG_NAMES, Number(v), 1, 1) : formatFlags(TUN_FLAG_NAMES, Number(v), Number(mask) & 1, TUN_FLAGS_NEVER_ALL);
    case 'frag':
      return formatFrag(Number(v), mask === undefined ? 3 : Number(mask) & 3);
    case 'other': {
      const n = Number(v);
      return `(${Math.floor(n / 65536)},${hex(n & 0xffff)})`;
    }
    case 'decimal':
      return toBigInt(v).toString(10) + (m !== undefined ? `/${hex(m)}` : '');
    default:
      return hex(v) + (m !== undefined ? `/${hex(m)}` : '');
  }
}

function parseMasked(text: string, width: number, one: (s: string) => bigint, prefix?: number): { value: OxmValue; mask?: OxmValue } {
  const limit = 1n << BigInt(width * 8);
  const parse = (s: string): bigint => {
    const v = one(s);
    if (v >= limit) throw new ParseError(`${text}: value too large for a ${width}-byte field`);
    return v;
  };
  const [v, m] = splitMask(text);
  const value = parse(v);
  if (m === undefined) return { value: fromBigInt(value, width) };
  let mask: bigint;
  if (prefix !== undefined && /^\d+$/.test(m)) {
    const n = Number(m);
    if (n > prefix) throw new ParseError(`${text}: prefix length ${n} > ${prefix}`);
    mask = n === 0 ? 0n : ((1n << BigInt(n)) - 1n) << BigInt(prefix - n);
  } else {
    mask = parse(m);
  }
  return { value: fromBigInt(value & mask, width), mask: fromBigInt(mask, width) };
}

/** Parses a value the way ovs-ofctl accepts it for this field (`value[/mask]`, CIDR, MAC masks, flags, port names). */
export function parseValue(f: OxmFieldDef, text: string): { value: OxmValue; mask?: OxmValue } {
  const width = f.width;
  switch (f.format) {
    case 'mac':
      return parseMasked(text, 6, (s) => (isHex(s) ? BigInt(s) : BigInt(mac(s))));
    case 'ipv4':
      return parseMasked(text, 4, (s) => (isHex(s) ? BigInt(s) : BigInt(ipv4(s))), 32);
    case 'ipv6':
      return parseMasked(text, 16, (s) => (isHex(s) ? BigInt(s) : ipv6(s)), 128);
    case 'port':
      return { value: parsePort(text, width, f.name) };
    case 'ct_state':
      return flagsResult(parseFlags(CT_STATE_FLAGS, text, 0xff, f.name), 0xff);
    case 'tcp_flags':
      return flagsResult(parseFlags(TCP_FLAG_NAMES, text, 0xffff, f.name), 0xffff);
    case 'tun_flags':
      return flagsResult(parseFlags(TUN_FLAG_NAMES, text, 1, f.name), 1);
    case 'other': {
      const m = /^\((\d+),(0x[0-9a-fA-F]+|\d+)\)$/.exec(text);
      if (!m) throw new ParseError(`${text}: packet_type must be (namespace,type)`);
      return { value: Number(m[1]) * 65536 + Number(m[2]) };
    }
    case 'frag': {
      for (const [name, m, v] of FRAGS) if (name === text) return m === 3 ? { value: v } : { value: v, mask: m };
      throw new ParseError(`${text}: unknown fragment type (valid types are "no", "yes", "first", "later", "not_later")`);
    }
  }
  if (width === 0) {
    // Variable width (tun_metadata): as many bytes as the longer of value and mask need.
    // Zero needs no bytes at all: OVS then sends an empty TLV.
    const [v, m] = splitMask(text);
    const value = parseInteger(v);
    const mask = m === undefined ? undefined : parseInteger(m);
    const w = Math.max(byteLength(value), mask === undefined ? 0 : byteLength(mask));
    if (w > 124) throw new ParseError(`${text}: value too large for ${f.name}`);
    return mask === undefined
      ? { value: fromBigInt(value, w, true) }
      : { value: fromBigInt(value & mask, w, true), mask: fromBigInt(mask, w, true) };
  }
  return parseMasked(text, width, parseInteger);
}

function flagsResult(r: { value: number; mask: number }, all: number): { value: OxmValue; mask?: OxmValue } {
  return r.mask === all ? { value: r.value } : { value: r.value & r.mask, mask: r.mask };
}

import type { Reader, Writer } from '../bytes.js';
import { DecodeError, EncodeError, ParseError } from '../errors.js';
import type { Subfield } from '../oxm/types.js';
import { NXAST } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { bigToValue, readHeaderAndOfs, readSubfieldHeader, valueToBig, writeHeaderAndOfs, writeSubfieldHeader } from './field-actions.js';
import { fieldByName, formatSubfield, formatValue, parseSubfield, parseValue } from './oxm.js';
import { parseBigUint, parseUint } from './ports.js';
import { splitKeyValues } from './text.js';
import type { LearnAction, LearnSpec } from './types.js';

export const LEARN_SEND_FLOW_REM = 1;
export const LEARN_DELETE_LEARNED = 2;
export const LEARN_WRITE_RESULT = 4;

/** flow_mod_spec header bits (nx_learn_spec): source immediate vs field, destination match/load/output, n_bits. */
const SRC_IMMEDIATE = 1 << 13;
const DST_MATCH = 0;
const DST_LOAD = 1 << 11;
const DST_OUTPUT = 2 << 11;
const N_BITS = 0x3ff;
const DEFAULT_PRIORITY = 0x8000;

/** Immediates are stored in whole 16-bit units, right-aligned. */
function immBytes(nBits: number): number {
  return Math.ceil(nBits / 16) * 2;
}

/** nx_action_learn: timeouts, priority, cookie, flags, table, pad, fin timeouts (learn2 adds limit/result_dst), then specs. */
export function decodeLearn(r: Reader, two: boolean): LearnAction | null {
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const priority = r.u16();
  const cookie = r.u64();
  const flags = r.u16();
  const table = r.u8();
  r.skip(1);
  const finIdleTimeout = r.u16();
  const finHardTimeout = r.u16();
  const a: LearnAction = { type: 'learn', idleTimeout, hardTimeout, priority, cookie, flags, table, finIdleTimeout, finHardTimeout, specs: [] };
  if (two) {
    a.limit = r.u32();
    const ofs = r.u16();
    r.skip(2);
    if (a.flags & LEARN_WRITE_RESULT) {
      const at = r.pos;
      const dst = readSubfieldHeader(r, ofs << 6);
      if (!dst) return null;
      if (dst.ofs + 1 > dst.field.bits) throw new DecodeError('learn result_dst outside its field', at);
      a.resultDst = dst;
    }
  }
  while (r.end - r.pos >= 2) {
    const at = r.pos;
    const h = r.u16();
    if (h === 0) break;
    const spec = decodeSpec(r, h, at);
    if (!spec) return null;
    a.specs.push(spec);
  }
  return a;
}

function decodeSpec(r: Reader, h: number, at: number): LearnSpec | null {
  const nBits = h & N_BITS;
  const dstType = h & (3 << 11);
  if (nBits === 0 || h & 0xc000 || dstType === 3 << 11) throw new DecodeError(`bad learn spec header 0x${h.toString(16)}`, at);
  const imm = h & SRC_IMMEDIATE;
  if (imm && dstType === DST_OUTPUT) throw new DecodeError('learn output spec cannot take an immediate', at);
  let src: Subfield | null = null;
  let value: Uint8Array | null = null;
  if (imm) value = r.copy(immBytes(nBits), 'learn immediate');
  else if (!(src = readHeaderAndOfs(r, nBits))) return null;
  if (dstType === DST_OUTPUT) return { kind: 'output', src: src! };
  const dst = readHeaderAndOfs(r, nBits);
  if (!dst) return null;
  const kind = dstType === DST_MATCH ? 'match' : 'load';
  return value ? { kind, dst, imm: value } : { kind, dst, src: src! };
}

export function encodeLearn(w: Writer, a: LearnAction): void {
  const two = a.limit !== undefined || a.resultDst !== undefined;
  const s = nxHeader(w, two ? NXAST.LEARN2 : NXAST.LEARN);
  w.u16(a.idleTimeout);
  w.u16(a.hardTimeout);
  w.u16(a.priority);
  w.u64(a.cookie);
  w.u16(a.resultDst ? a.flags | LEARN_WRITE_RESULT : a.flags);
  w.u8(a.table);
  w.u8(0);
  w.u16(a.finIdleTimeout);
  w.u16(a.finHardTimeout);
  if (two) {
    w.u32(a.limit ?? 0);
    w.u16(a.resultDst ? a.resultDst.ofs : 0);
    w.u16(0);
    if (a.resultDst) writeSubfieldHeader(w, a.resultDst);
  }
  for (const spec of a.specs) encodeSpec(w, spec);
  endAction(w, s);
}

function encodeSpec(w: Writer, spec: LearnSpec): void {
  const nBits = spec.kind === 'output' ? spec.src.nBits : spec.dst.nBits;
  if (nBits < 1 || nBits > N_BITS) throw new EncodeError(`learn spec of ${nBits} bits`);
  const dstType = spec.kind === 'match' ? DST_MATCH : spec.kind === 'load' ? DST_LOAD : DST_OUTPUT;
  if (spec.kind === 'output') {
    w.u16(dstType | nBits);
    writeHeaderAndOfs(w, spec.src);
    return;
  }
  if ('imm' in spec) {
    if (spec.imm.length !== immBytes(nBits)) throw new EncodeError(`learn immediate for ${nBits} bits must be ${immBytes(nBits)} bytes`);
    w.u16(SRC_IMMEDIATE | dstType | nBits);
    w.bytes(spec.imm);
  } else {
    if (spec.src.nBits !== nBits) throw new EncodeError('learn: source and destination widths differ');
    w.u16(dstType | nBits);
    writeHeaderAndOfs(w, spec.src);
  }
  writeHeaderAndOfs(w, spec.dst);
}

function immToBig(imm: Uint8Array): bigint {
  let n = 0n;
  for (const b of imm) n = (n << 8n) | BigInt(b);
  return n;
}

function bigToImm(n: bigint, nBits: number): Uint8Array {
  if (n >> BigInt(nBits) !== 0n) throw new ParseError(`learn: value 0x${n.toString(16)} does not fit in ${nBits} bits`);
  const out = new Uint8Array(immBytes(nBits));
  for (let i = out.length - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function subvalue(n: bigint): string {
  return n ? '0x' + n.toString(16) : '0';
}

function formatSpec(spec: LearnSpec): string {
  if (spec.kind === 'output') return `output:${formatSubfield(spec.src)}`;
  const dst = spec.dst;
  if (spec.kind === 'load') {
    const src = 'imm' in spec ? subvalue(immToBig(spec.imm)) : formatSubfield(spec.src);
    return `load:${src}->${formatSubfield(dst)}`;
  }
  if ('imm' in spec) {
    const whole = dst.ofs === 0 && dst.nBits === dst.field.bits;
    const n = immToBig(spec.imm);
    // A variable-width field (tun_metadata) has no fixed width to convert to: print the number itself.
    if (whole) return `${dst.field.name}=${formatValue(dst.field, dst.field.width ? bigToValue(dst.field, n) : n)}`;
    return `${formatSubfield(dst)}=${subvalue(n)}`;
  }
  const same = spec.src.field.name === dst.field.name && spec.src.ofs === dst.ofs;
  return same ? formatSubfield(dst) : `${formatSubfield(dst)}=${formatSubfield(spec.src)}`;
}

export function formatLearn(a: LearnAction): string {
  let s = `learn(table=${a.table}`;
  if (a.idleTimeout) s += `,idle_timeout=${a.idleTimeout}`;
  if (a.hardTimeout) s += `,hard_timeout=${a.hardTimeout}`;
  if (a.finIdleTimeout) s += `,fin_idle_timeout=${a.finIdleTimeout}`;
  if (a.finHardTimeout) s += `,fin_hard_timeout=${a.finHardTimeout}`;
  if (a.priority !== DEFAULT_PRIORITY) s += `,priority=${a.priority}`;
  if (a.flags & LEARN_SEND_FLOW_REM) s += ',send_flow_rem';
  if (a.flags & LEARN_DELETE_LEARNED) s += ',delete_learned';
  if (a.cookie) s += `,cookie=0x${a.cookie.toString(16)}`;
  if (a.limit) s += `,limit=${a.limit}`;
  if (a.resultDst) s += `,result_dst=${formatSubfield(a.resultDst)}`;
  for (const spec of a.specs) s += ',' + formatSpec(spec);
  return s + ')';
}

export function parseLearn(text: string): LearnAction {
  const a: LearnAction = {
    type: 'learn',
    idleTimeout: 0,
    hardTimeout: 0,
    priority: DEFAULT_PRIORITY,
    cookie: 0n,
    flags: 0,
    table: 1,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    specs: [],
  };
  for (const kv of splitKeyValues(text)) {
    const v = kv.value;
    switch (kv.key) {
      case 'table':
        a.table = parseUint(v, 0xfe, 'learn table');
        break;
      case 'idle_timeout':
        a.idleTimeout = parseUint(v, 0xffff, 'learn idle_timeout');
        break;
      case 'hard_timeout':
        a.hardTimeout = parseUint(v, 0xffff, 'learn hard_timeout');
        break;
      case 'fin_idle_timeout':
        a.finIdleTimeout = parseUint(v, 0xffff, 'learn fin_idle_timeout');
        break;
      case 'fin_hard_timeout':
        a.finHardTimeout = parseUint(v, 0xffff, 'learn fin_hard_timeout');
        break;
      case 'priority':
        a.priority = parseUint(v, 0xffff, 'learn priority');
        break;
      case 'cookie':
        a.cookie = parseBigUint(v, 64, 'learn cookie');
        break;
      case 'send_flow_rem':
        a.flags |= LEARN_SEND_FLOW_REM;
        break;
      case 'delete_learned':
        a.flags |= LEARN_DELETE_LEARNED;
        break;
      case 'limit': {
        // limit=0 means none: OVS then sends the plain NXAST_LEARN.
        const limit = parseUint(v, 0xffffffff, 'learn limit');
        if (limit) a.limit = limit;
        break;
      }
      case 'result_dst': {
        const sf = parseSubfield(v);
        if (sf.nBits !== 1) throw new ParseError('learn result_dst must be a single bit');
        a.resultDst = sf;
        a.flags |= LEARN_WRITE_RESULT;
        break;
      }
      case 'load':
        a.specs.push(parseLoadSpec(v));
        break;
      case 'output':
        a.specs.push({ kind: 'output', src: parseSubfield(v) });
        break;
      default:
        a.specs.push(parseMatchSpec(kv.key, kv.delim === '=' ? v : undefined));
    }
  }
  return a;
}

function parseLoadSpec(text: string): LearnSpec {
  const i = text.indexOf('->');
  if (i < 0) throw new ParseError(`learn load: missing "->" in "${text}"`);
  const dst = parseSubfield(text.slice(i + 2));
  const src = text.slice(0, i);
  if (/^(0x)?[0-9a-f]+$/i.test(src)) return { kind: 'load', dst, imm: bigToImm(parseBigUint(src, 128, 'learn load'), dst.nBits) };
  const sf = parseSubfield(src);
  if (sf.nBits !== dst.nBits) throw new ParseError(`learn load: ${src} and ${formatSubfield(dst)} differ in width`);
  return { kind: 'load', dst, src: sf };
}

/** `field=value` (whole field, typed value), `dst[..]=src[..]`, `dst[..]=0x5` or a bare `dst[..]` (src = dst). */
function parseMatchSpec(key: string, value: string | undefined): LearnSpec {
  const field = key.includes('[') ? undefined : fieldByName(key);
  if (field && value !== undefined) {
    const dst = { field, ofs: 0, nBits: field.bits };
    return { kind: 'match', dst, imm: bigToImm(valueToBig(parseValue(field, value).value), field.bits) };
  }
  const dst = parseSubfield(key);
  if (value === undefined) return { kind: 'match', dst, src: dst };
  if (/^(0x)?[0-9a-f]+$/i.test(value)) return { kind: 'match', dst, imm: bigToImm(parseBigUint(value, 128, 'learn match'), dst.nBits) };
  const src = parseSubfield(value);
  if (src.nBits !== dst.nBits) throw new ParseError(`learn: ${key} and ${value} differ in width`);
  return { kind: 'match', dst, src };
}

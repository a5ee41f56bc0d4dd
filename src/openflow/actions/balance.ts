import type { Reader, Writer } from '../bytes.js';
import { ParseError } from '../errors.js';
import { NXAST } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { readSubfieldHeader, writeSubfieldHeader } from './field-actions.js';
import { formatSubfield, parseSubfield } from './oxm.js';
import { formatPort, parsePort, parseUint, portFrom16, portTo16 } from './ports.js';
import type { Action } from './types.js';

type Multipath = Extract<Action, { type: 'multipath' }>;
type Bundle = Extract<Action, { type: 'bundle' }>;

/** enum nx_hash_fields, shared by multipath and bundle. */
const HASH_FIELDS = ['eth_src', 'symmetric_l4', 'symmetric_l3l4', 'symmetric_l3l4+udp', 'nw_src', 'nw_dst', 'symmetric_l3'];
const MP_ALGORITHMS = ['modulo_n', 'hash_threshold', 'hrw', 'iter_hash'];
const BUNDLE_ALGORITHMS = ['active_backup', 'hrw'];
/** NXM_OF_IN_PORT: the only member type bundle supports ("ofport"). */
const NXM_OF_IN_PORT = 0x00000002;

function named(list: readonly string[], v: number): string {
  return list[v] ?? String(v);
}

function indexOf(list: readonly string[], text: string, what: string): number {
  const i = list.indexOf(text);
  if (i < 0) throw new ParseError(`${what}: unknown "${text}"`);
  return i;
}

/** nx_action_multipath: fields, basis, pad, algorithm, max_link, arg, pad, ofs_nbits, dst. */
export function decodeMultipath(r: Reader): Multipath | null {
  const fields = r.u16();
  const basis = r.u16();
  r.skip(2);
  const algorithm = r.u16();
  const maxLink = r.u16();
  const arg = r.u32();
  r.skip(2);
  const dst = readSubfieldHeader(r, r.u16());
  return dst ? { type: 'multipath', fields, basis, algorithm, maxLink, arg, dst } : null;
}

export function encodeMultipath(w: Writer, a: Multipath): void {
  const s = nxHeader(w, NXAST.MULTIPATH);
  w.u16(a.fields);
  w.u16(a.basis);
  w.zeros(2);
  w.u16(a.algorithm);
  w.u16(a.maxLink);
  w.u32(a.arg);
  w.zeros(2);
  w.u16((a.dst.ofs << 6) | (a.dst.nBits - 1));
  writeSubfieldHeader(w, a.dst, 4);
  endAction(w, s);
}

/** `multipath(fields,basis,algorithm,n_links,arg,dst)`: the text counts links, the wire stores the last index. */
export function formatMultipath(a: Multipath): string {
  return `multipath(${named(HASH_FIELDS, a.fields)},${a.basis},${named(MP_ALGORITHMS, a.algorithm)},${a.maxLink + 1},${a.arg},${formatSubfield(a.dst)})`;
}

export function parseMultipath(text: string): Multipath {
  const p = text.split(',');
  if (p.length !== 6) throw new ParseError(`multipath: expected 6 arguments in "${text}"`);
  const nLinks = parseUint(p[3], 0x10000, 'multipath n_links');
  if (nLinks < 1) throw new ParseError('multipath: n_links must be at least 1');
  return {
    type: 'multipath',
    fields: indexOf(HASH_FIELDS, p[0], 'multipath fields'),
    basis: parseUint(p[1], 0xffff, 'multipath basis'),
    algorithm: indexOf(MP_ALGORITHMS, p[2], 'multipath algorithm'),
    maxLink: nLinks - 1,
    arg: parseUint(p[4], 0xffffffff, 'multipath arg'),
    dst: parseSubfield(p[5]),
  };
}

/** nx_action_bundle: algorithm, fields, basis, slave_type, n_slaves, ofs_nbits, dst, zero[4], then 16-bit ports. */
export function decodeBundle(r: Reader, load: boolean): Bundle | null {
  const algorithm = r.u16();
  const fields = r.u16();
  const basis = r.u16();
  const memberType = r.u32();
  const n = r.u16();
  const on = r.u16();
  const dstAt = r.pos;
  const dstHeader = r.u32();
  r.skip(4);
  if (memberType !== NXM_OF_IN_PORT) return null;
  r.need(n * 2, 'bundle members');
  const members: number[] = [];
  for (let i = 0; i < n; i++) members.push(portFrom16(r.u16()));
  const a: Bundle = { type: 'bundle', algorithm, fields, basis, members };
  if (load || dstHeader) {
    const end = r.pos;
    r.pos = dstAt;
    const dst = readSubfieldHeader(r, on);
    r.pos = end;
    if (!dst) return null;
    a.dst = dst;
  }
  return a;
}

export function encodeBundle(w: Writer, a: Bundle): void {
  const s = nxHeader(w, a.dst ? NXAST.BUNDLE_LOAD : NXAST.BUNDLE);
  w.u16(a.algorithm);
  w.u16(a.fields);
  w.u16(a.basis);
  w.u32(NXM_OF_IN_PORT);
  w.u16(a.members.length);
  if (a.dst) {
    w.u16((a.dst.ofs << 6) | (a.dst.nBits - 1));
    writeSubfieldHeader(w, a.dst, 4);
  } else {
    w.u16(0);
    w.u32(0);
  }
  w.zeros(4);
  for (const p of a.members) w.u16(portTo16(p));
  endAction(w, s);
}

export function formatBundle(a: Bundle): string {
  const head = `${named(HASH_FIELDS, a.fields)},${a.basis},${named(BUNDLE_ALGORITHMS, a.algorithm)},ofport`;
  const members = `members:${a.members.map(formatPort).join(',')}`;
  return a.dst ? `bundle_load(${head},${formatSubfield(a.dst)},${members})` : `bundle(${head},${members})`;
}

/** `bundle(fields,basis,algorithm,ofport,members:p1,p2)`; bundle_load adds the destination before the members. */
export function parseBundle(text: string, load: boolean): Bundle {
  const p = text.split(',');
  const nFixed = load ? 5 : 4;
  if (p.length <= nFixed) throw new ParseError(`bundle: too few arguments in "${text}"`);
  if (p[3] !== 'ofport') throw new ParseError(`bundle: unknown member type "${p[3]}"`);
  const list = p.slice(nFixed);
  const m = /^(members|slaves):(.*)$/.exec(list[0]);
  if (!m) throw new ParseError(`bundle: expected "members:" in "${text}"`);
  list[0] = m[2];
  const a: Bundle = {
    type: 'bundle',
    fields: indexOf(HASH_FIELDS, p[0], 'bundle fields'),
    basis: parseUint(p[1], 0xffff, 'bundle basis'),
    algorithm: indexOf(BUNDLE_ALGORITHMS, p[2], 'bundle algorithm'),
    members: list.filter((s) => s !== '').map((s) => parsePort(s, 'bad port number')),
  };
  if (load) a.dst = parseSubfield(p[4]);
  return a;
}

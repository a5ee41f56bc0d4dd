import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { decodeMatch, encodeMatch } from '../oxm/index.js';
import { decodeInstructions, encodeInstructions } from '../actions/index.js';
import { OFP14_VERSION } from './constants.js';
import type { FlowMod, Header } from './types.js';

/**
 * OFPT_FLOW_MOD body (the hot path): 40 fixed bytes after the header, then ofp_match, then
 * instructions. Written straight into the Writer; OF1.4+ puts `importance` in OF1.3's pad.
 */
export function encodeFlowModBody(w: Writer, m: FlowMod): void {
  writeU64(w, m.cookie);
  writeU64(w, m.cookieMask);
  w.ensure(24);
  const b = w.buf;
  let p = w.pos;
  b[p++] = m.tableId;
  b[p++] = m.command;
  b[p++] = m.idleTimeout >>> 8;
  b[p++] = m.idleTimeout;
  b[p++] = m.hardTimeout >>> 8;
  b[p++] = m.hardTimeout;
  b[p++] = m.priority >>> 8;
  b[p++] = m.priority;
  p = put32(b, p, m.bufferId);
  p = put32(b, p, m.outPort);
  p = put32(b, p, m.outGroup);
  b[p++] = m.flags >>> 8;
  b[p++] = m.flags;
  const importance = m.version >= OFP14_VERSION ? m.importance : 0;
  b[p++] = importance >>> 8;
  b[p++] = importance;
  w.pos = p;
  encodeMatch(w, m.match);
  encodeInstructions(w, m.instructions);
}

export function decodeFlowModBody(r: Reader, h: Header): FlowMod {
  if (r.remaining < 40) throw new DecodeError(`FLOW_MOD: body of ${r.remaining} bytes shorter than 40`, r.pos);
  const cookie = readU64(r);
  const cookieMask = readU64(r);
  const b = r.buf;
  let p = r.pos;
  const tableId = b[p];
  const command = b[p + 1];
  const idleTimeout = (b[p + 2] << 8) | b[p + 3];
  const hardTimeout = (b[p + 4] << 8) | b[p + 5];
  const priority = (b[p + 6] << 8) | b[p + 7];
  p += 8;
  const bufferId = get32(b, p);
  const outPort = get32(b, p + 4);
  const outGroup = get32(b, p + 8);
  const flags = (b[p + 12] << 8) | b[p + 13];
  const importance = h.version >= OFP14_VERSION ? (b[p + 14] << 8) | b[p + 15] : 0;
  r.pos = p + 16;
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r);
  return {
    type: 'flow_mod',
    version: h.version,
    xid: h.xid,
    cookie,
    cookieMask,
    tableId,
    command,
    idleTimeout,
    hardTimeout,
    priority,
    bufferId,
    outPort,
    outGroup,
    flags,
    importance,
    match,
    instructions,
  };
}

function put32(b: Uint8Array, p: number, v: number): number {
  b[p] = v >>> 24;
  b[p + 1] = v >>> 16;
  b[p + 2] = v >>> 8;
  b[p + 3] = v;
  return p + 4;
}

function get32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) >>> 0) + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
}

// Cookies are usually 0 or small: skip the bigint shifts when the high word is zero.
const ALL_ONES_64 = 0xffffffffffffffffn;
export function writeU64(w: Writer, v: bigint): void {
  if (v === 0n) {
    w.zeros(8);
  } else if (v === ALL_ONES_64) {
    w.u32(0xffffffff);
    w.u32(0xffffffff);
  } else {
    w.u64(v);
  }
}

export function readU64(r: Reader): bigint {
  const hi = r.u32();
  const lo = r.u32();
  if (hi === 0) return BigInt(lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

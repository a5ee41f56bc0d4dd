import { ParseError } from '../errors.js';

/**
 * Number, port and group syntax of the flow-mod keywords (not match fields), as ovs-ofctl reads them.
 * Timeouts and priority go through C strtol with base 0, so `0x10` is hex and `010` is octal.
 */

const U64_MAX = 0xffffffffffffffffn;

/** strtoul(…, 0) syntax without sign: hex `0x…`, octal `0…`, decimal. Undefined when malformed. */
function cNumber(text: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]*$/.test(text)) return BigInt('0o' + (text.slice(1) || '0'));
  if (/^[1-9][0-9]*$/.test(text)) return BigInt(text);
  return undefined;
}

/** priority, idle_timeout, hard_timeout, importance. */
export function parseFlowU16(text: string, name: string): number {
  const v = cNumber(text);
  if (v === undefined || v > 0xffffn) throw new ParseError(`invalid ${name} "${text}"`);
  return Number(v);
}

/** Cookies and cookie masks: strtoull, so a leading `-` wraps around (`-1` is all ones). */
export function parseCookie(text: string): bigint {
  const negative = text.startsWith('-');
  const v = cNumber(negative ? text.slice(1) : text);
  if (v === undefined || v > U64_MAX) throw new ParseError(`invalid cookie "${text}"`);
  return negative ? (U64_MAX + 1n - v) & U64_MAX : v;
}

/** `table=`: a decimal table number (OVS reads no hex here). */
export function parseTableId(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 255) throw new ParseError(`unknown table "${text}"`);
  return Number(text);
}

/** OpenFlow 1.3 reserved ports by their ovs-ofctl names. */
export const RESERVED_PORTS: ReadonlyMap<string, number> = new Map([
  ['IN_PORT', 0xfffffff8],
  ['TABLE', 0xfffffff9],
  ['NORMAL', 0xfffffffa],
  ['FLOOD', 0xfffffffb],
  ['ALL', 0xfffffffc],
  ['CONTROLLER', 0xfffffffd],
  ['LOCAL', 0xfffffffe],
  ['ANY', 0xffffffff],
]);
const PORT_NAMES = new Map([...RESERVED_PORTS].map(([name, port]) => [port, name]));

/**
 * `out_port=`: a reserved name, or a number in OVS's accepted ranges: 16-bit ports (0xff00 and up
 * are OF1.0 spellings of the OF1.1+ ports 0xffffff00 and up) or 32-bit ports from 0xffffff00.
 */
export function parseOutPort(text: string): number {
  const upper = text.toUpperCase();
  const named = RESERVED_PORTS.get(upper) ?? (upper === 'NONE' ? 0xffffffff : undefined);
  if (named !== undefined) return named;
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < 0xff00) return n;
    if (n <= 0xffff) return n + 0xffff0000;
    if (n >= 0xffffff00 && n <= 0xffffffff) return n;
  }
  throw new ParseError(`${text} is not a valid OpenFlow port`);
}

export function formatPortNumber(port: number): string {
  return PORT_NAMES.get(port) ?? String(port);
}

export const OFPG_ALL = 0xfffffffc;
export const OFPG_ANY = 0xffffffff;

/** `out_group=`: `all`, `any` or a decimal 32-bit group id. */
export function parseOutGroup(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'all') return OFPG_ALL;
  if (lower === 'any') return OFPG_ANY;
  if (/^[0-9]+$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  throw new ParseError(`${text} is not a valid OpenFlow group`);
}

import { ParseError } from '../errors.js';
import { OFPP } from './codes.js';

const PORT_NAMES: ReadonlyMap<number, string> = new Map([
  [OFPP.IN_PORT, 'IN_PORT'],
  [OFPP.TABLE, 'TABLE'],
  [OFPP.NORMAL, 'NORMAL'],
  [OFPP.FLOOD, 'FLOOD'],
  [OFPP.ALL, 'ALL'],
  [OFPP.CONTROLLER, 'CONTROLLER'],
  [OFPP.LOCAL, 'LOCAL'],
  [OFPP.ANY, 'ANY'],
]);

const NAMED_PORTS: ReadonlyMap<string, number> = new Map([
  ...[...PORT_NAMES].map(([n, s]) => [s, n] as [string, number]),
  ['NONE', OFPP.ANY],
]);

/** OF1.0 16-bit port (resubmit, output_trunc, bundle) to the OF1.3 32-bit space: 0xff00.. are the reserved ports. */
export function portFrom16(p: number): number {
  return p >= 0xff00 ? (p + 0xffff0000) >>> 0 : p;
}

export function portTo16(p: number): number {
  return p >= 0xffff0000 ? p - 0xffff0000 : p & 0xffff;
}

/** Port as ovs-ofctl prints it (ofputil_format_port): reserved ports by name, others in decimal (OF1.0 numbering). */
export function formatPort(port: number): string {
  const name = PORT_NAMES.get(port);
  if (name) return name;
  return String(port >= 0xffff0000 ? port - 0xffff0000 : port);
}

/** First OF1.1+ reserved port (OFPP11_MAX): 32-bit numbers from here up are reserved ports. */
const OFPP11_MAX = 0xffffff00;

/**
 * Port text (`LOCAL`, `in_port`, `5`, OF1.0 `65534`, OF1.1 `4294967294`) to an OF1.3 port number, as
 * ofputil_port_from_string reads it: decimal only, either a 16-bit OF1.0 number or a 32-bit reserved one.
 */
export function parsePort(text: string, refusal = 'unknown port'): number {
  const named = NAMED_PORTS.get(text.toUpperCase());
  if (named !== undefined) return named;
  const n = /^[0-9]+$/.test(text) ? Number(text) : -1;
  if (n >= 0 && n <= 0xffff) return portFrom16(n);
  if (n >= OFPP11_MAX && n <= 0xffffffff) return n;
  // `refusal` is ovs-ofctl's wording for the action at hand ("output to unknown port", "bad port number"...).
  throw new ParseError(`${text}: ${refusal}`);
}

/** Unsigned integer in C `strtoul(…, 0)` style as ovs-ofctl accepts it: decimal or 0x hex. */
export function parseUint(text: string, max: number, what: string): number {
  const t = text.trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else throw new ParseError(`${what}: "${text}" is not a number`);
  if (n > max) throw new ParseError(`${what}: ${text} is out of range (max ${max})`);
  return n;
}

export function parseBigUint(text: string, bits: number, what: string): bigint {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new ParseError(`${what}: "${text}" is not a number`);
  const n = BigInt(t);
  if (n >> BigInt(bits) !== 0n) throw new ParseError(`${what}: ${text} does not fit in ${bits} bits`);
  return n;
}

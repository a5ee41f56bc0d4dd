import type { Reader, Writer } from '../bytes.js';
import { DecodeError, EncodeError } from '../errors.js';
import { OFP_HEADER_LEN, OFP_MAX_MSG_LEN } from './constants.js';

/** Writes an ofp_header with a zero length; returns its start for `endMessage` to back-fill. */
export function beginMessage(w: Writer, version: number, type: number, xid: number): number {
  const start = w.pos;
  w.ensure(OFP_HEADER_LEN);
  const b = w.buf;
  b[start] = version;
  b[start + 1] = type;
  b[start + 2] = 0;
  b[start + 3] = 0;
  w.pos = start + 4;
  w.u32(xid);
  return start;
}

export function endMessage(w: Writer, start: number): void {
  const len = w.pos - start;
  if (len > OFP_MAX_MSG_LEN) throw new EncodeError(`message of ${len} bytes exceeds the 65535-byte OpenFlow limit`);
  w.patchU16(start + 2, len);
}

/** Back-fills a 16-bit length of a nested object that started at `start`. */
export function patchLength(w: Writer, at: number, start: number): void {
  const len = w.pos - start;
  if (len > 0xffff) throw new EncodeError(`object of ${len} bytes does not fit a 16-bit length`);
  w.patchU16(at, len);
}

/** Checks a TLV length read off the wire: at least `min`, within the reader, and 8-aligned if asked. */
export function checkLength(r: Reader, len: number, min: number, what: string, align8 = false): void {
  if (len < min) throw new DecodeError(`${what}: length ${len} shorter than its fixed part ${min}`, r.pos);
  if (len > r.remaining) throw new DecodeError(`${what}: length ${len} overruns the ${r.remaining} bytes left`, r.pos);
  if (align8 && len % 8 !== 0) throw new DecodeError(`${what}: length ${len} is not a multiple of 8`, r.pos);
}

/** Fails unless the reader consumed its whole region (fixed-size bodies). */
export function expectEnd(r: Reader, what: string): void {
  if (r.remaining !== 0) throw new DecodeError(`${what}: ${r.remaining} unexpected trailing bytes`, r.pos);
}

/** A plain Uint8Array copy of the next n bytes (never a Buffer, whatever the input was). */
export function copyBytes(r: Reader, n: number, what = 'bytes'): Uint8Array {
  return new Uint8Array(r.bytes(n, what));
}

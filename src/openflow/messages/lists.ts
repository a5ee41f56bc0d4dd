import type { Reader } from '../bytes.js';
import { checkLength } from './header.js';

/** Readers for arrays of stats entries: length-prefixed TLV-like entries or fixed-size records. */

/** Entries with a 16-bit length at `lenOffset`: each is decoded inside its own limit. */
export function lengthPrefixed<T>(r: Reader, lenOffset: number, min: number, what: string, fn: (r: Reader) => T): T[] {
  const out: T[] = [];
  while (r.remaining > 0) {
    r.need(lenOffset + 2, what);
    const len = (r.buf[r.pos + lenOffset] << 8) | r.buf[r.pos + lenOffset + 1];
    checkLength(r, len, min, what);
    out.push(r.withLimit(len, what, fn));
  }
  return out;
}

export function fixedSize<T>(r: Reader, size: number, what: string, fn: (r: Reader) => T): T[] {
  const out: T[] = [];
  while (r.remaining > 0) {
    r.need(size, what);
    out.push(r.withLimit(size, what, fn));
  }
  return out;
}

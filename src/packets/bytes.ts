import { PacketError } from './errors.js';

/** Big-endian field access for fixed-layout headers; parsers call `need` before they read. */

/** Throws unless `buf` holds `n` bytes from `at`. */
export function need(buf: Uint8Array, at: number, n: number, what: string): void {
  if (at + n > buf.length) throw new PacketError(`truncated ${what}: need ${n} bytes, have ${Math.max(0, buf.length - at)}`, at);
}

export function u16(buf: Uint8Array, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}

export function u32(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) >>> 0) + ((buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]);
}

export function putU16(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 8;
  buf[at + 1] = v;
}

export function putU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = v >>> 16;
  buf[at + 2] = v >>> 8;
  buf[at + 3] = v;
}

/** 48-bit MAC at `at` as a number (exact: 2^48 < 2^53). */
export function readMac(buf: Uint8Array, at: number): number {
  return u16(buf, at) * 0x100000000 + u32(buf, at + 2);
}

export function writeMac(buf: Uint8Array, at: number, v: number): void {
  putU16(buf, at, Math.floor(v / 0x100000000));
  putU32(buf, at + 2, v >>> 0);
}

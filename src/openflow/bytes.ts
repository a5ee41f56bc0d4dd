import { DecodeError, EncodeError } from './errors.js';

/**
 * Bounds-checked big-endian reader over a byte range. It never reads outside [start, end):
 * every read checks the remaining length first and throws a DecodeError instead.
 * Nested TLVs use `withLimit` (no allocation) to confine a parser to its parent's length.
 */
export class Reader {
  pos: number;
  end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new DecodeError('reader range outside buffer', start);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what = 'field'): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new DecodeError(`truncated ${what}: need ${n} bytes, have ${this.end - this.pos}`, this.pos);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u24(): number {
    this.need(3);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) >>> 0) + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  /** 48-bit unsigned (MAC addresses) as a plain number: exact, since 2^48 < 2^53. */
  u48(): number {
    this.need(6);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 6;
    return ((b[p] << 8) | b[p + 1]) * 0x100000000 + (((b[p + 2] << 24) >>> 0) + ((b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5]));
  }

  u64(): bigint {
    const hi = this.u32();
    const lo = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** 128-bit unsigned (IPv6 addresses, ct_label, xxreg) as a bigint. */
  u128(): bigint {
    const hi = this.u64();
    const lo = this.u64();
    return (hi << 64n) | lo;
  }

  /** A view (no copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next n bytes, for values that must outlive the input buffer. */
  copy(n: number, what = 'bytes'): Uint8Array {
    return Uint8Array.prototype.slice.call(this.bytes(n, what)) as Uint8Array;
  }

  skip(n: number, what = 'padding'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** NUL-padded fixed-size string field (port names, DESC strings). */
  str(n: number): string {
    const v = this.bytes(n, 'string');
    let len = v.indexOf(0);
    if (len < 0) len = n;
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(v[i]);
    return s;
  }

  /**
   * Runs `fn` with the reader confined to the next `len` bytes, then leaves pos at the end of
   * that region whatever `fn` consumed. A child length that overruns its parent is an error.
   */
  withLimit<T>(len: number, what: string, fn: (r: Reader) => T): T {
    this.need(len, what);
    const savedEnd = this.end;
    const stop = this.pos + len;
    this.end = stop;
    try {
      return fn(this);
    } finally {
      this.end = savedEnd;
      this.pos = stop;
    }
  }
}

/**
 * Growable big-endian writer. One Writer can hold many messages back to back, so a session can
 * encode a whole batch into one buffer and hand it to the socket in a single write.
 */
export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  u24(v: number): void {
    this.ensure(3);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 16;
    b[p + 1] = v >>> 8;
    b[p + 2] = v;
    this.pos = p + 3;
  }

  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  u48(v: number): void {
    this.ensure(6);
    const hi = Math.floor(v / 0x100000000);
    const lo = v >>> 0;
    const b = this.buf;
    const p = this.pos;
    b[p] = hi >>> 8;
    b[p + 1] = hi;
    b[p + 2] = lo >>> 24;
    b[p + 3] = lo >>> 16;
    b[p + 4] = lo >>> 8;
    b[p + 5] = lo;
    this.pos = p + 6;
  }

  u64(v: bigint): void {
    this.u32(Number((v >> 32n) & 0xffffffffn));
    this.u32(Number(v & 0xffffffffn));
  }

  u128(v: bigint): void {
    this.u64((v >> 64n) & 0xffffffffffffffffn);
    this.u64(v & 0xffffffffffffffffn);
  }

  bytes(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  zeros(n: number): void {
    this.ensure(n);
    // Paddings are 1-7 bytes: a loop beats Buffer.fill's call overhead there.
    const b = this.buf;
    const end = this.pos + n;
    if (n <= 16) for (let p = this.pos; p < end; p++) b[p] = 0;
    else b.fill(0, this.pos, end);
    this.pos = end;
  }

  /** Zero padding up to the next multiple of `align` counted from `from`. */
  padTo(from: number, align = 8): void {
    const rem = (this.pos - from) % align;
    if (rem) this.zeros(align - rem);
  }

  /** Fixed-size NUL-padded string field. */
  str(s: string, n: number): void {
    // A name filling the whole field has no NUL (Reader.str accepts that), so allow length == n.
    if (s.length > n) throw new EncodeError(`string "${s}" does not fit in ${n} bytes`);
    this.ensure(n);
    for (let i = 0; i < s.length; i++) this.buf[this.pos + i] = s.charCodeAt(i) & 0xff;
    this.buf.fill(0, this.pos + s.length, this.pos + n);
    this.pos += n;
  }

  /** Writes a 16-bit value at an earlier position: used to back-fill length fields. */
  patchU16(at: number, v: number): void {
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v;
  }

  /** A copy of everything written since `from`. */
  copyFrom(from = 0): Buffer {
    return Buffer.from(this.buf.subarray(from, this.pos));
  }
}

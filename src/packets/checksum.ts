/** RFC 1071 Internet checksum: one's-complement sum of 16-bit big-endian words. */

/** Adds `data[start, end)` to a running 32-bit sum (an odd last byte is padded with zero). */
export function onesSum(data: Uint8Array, start = 0, end = data.length, acc = 0): number {
  let sum = acc;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (i < end) sum += data[i] << 8;
  // No folding here: a JS number holds the sum of any frame exactly; finishChecksum folds once.
  return sum;
}

/** Folds a running sum to 16 bits and complements it: the value that goes into a checksum field. */
export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

export function internetChecksum(data: Uint8Array, start = 0, end = data.length): number {
  return finishChecksum(onesSum(data, start, end));
}

/** Sum of the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768). */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

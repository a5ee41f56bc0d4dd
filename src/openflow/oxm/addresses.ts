import { ParseError } from '../errors.js';

/** Text ⇄ number forms of MAC, IPv4 and IPv6 addresses, printed the way OVS (and glibc inet_ntop) print them. */

const MAC_RE = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})$/;

/** 'fa:16:3e:00:00:01' -> 48-bit number. */
export function mac(text: string): number {
  const m = MAC_RE.exec(text);
  if (!m) throw new ParseError(`${text}: invalid Ethernet address`);
  let v = 0;
  for (let i = 1; i <= 6; i++) v = v * 256 + parseInt(m[i], 16);
  return v;
}

export function formatMac(v: number): string {
  let s = '';
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(v / 2 ** (8 * i)) % 256;
    s += (b < 16 ? '0' : '') + b.toString(16) + (i ? ':' : '');
  }
  return s;
}

/** '10.0.0.1' -> 32-bit unsigned number. */
export function ipv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new ParseError(`${text}: invalid IP address`);
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new ParseError(`${text}: invalid IP address`);
    v = v * 256 + Number(p);
  }
  return v;
}

export function formatIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Prefix length when `mask` is a CIDR mask of `bits` bits, else -1. */
export function cidrLength(mask: bigint, bits: number): number {
  const all = (1n << BigInt(bits)) - 1n;
  const inv = ~mask & all;
  if ((inv & (inv + 1n)) !== 0n) return -1;
  let n = bits;
  for (let x = inv; x; x >>= 1n) n--;
  return n;
}

export function ipv4CidrLength(mask: number): number {
  return cidrLength(BigInt(mask >>> 0), 32);
}

/** 'fe80::1' (also '::ffff:1.2.3.4') -> 128-bit bigint. */
export function ipv6(text: string): bigint {
  const bad = () => new ParseError(`${text}: invalid IPv6 address`);
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    // Embedded IPv4 tail: rewrite it as two hex groups.
    const v4 = ipv4(s.slice(lastColon + 1));
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) throw bad();
  const toWords = (h: string): number[] => {
    if (h === '') return [];
    return h.split(':').map((g) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
      return parseInt(g, 16);
    });
  };
  const head = toWords(halves[0]);
  const rest = halves.length === 2 ? toWords(halves[1]) : [];
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) throw bad();
    words = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    words = [...head, ...rest];
  }
  if (words.length !== 8) throw bad();
  let v = 0n;
  for (const w of words) v = (v << 16n) | BigInt(w);
  return v;
}

/** RFC 5952 text as glibc's inet_ntop writes it (including its embedded-IPv4 forms). */
export function formatIpv6(v: bigint): string {
  const w: number[] = [];
  for (let i = 7; i >= 0; i--) w.push(Number((v >> BigInt(16 * i)) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += (s.endsWith(':') ? '' : ':') + formatIpv4(w[6] * 65536 + w[7]);
      break;
    }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += w[i].toString(16);
  }
  return s;
}

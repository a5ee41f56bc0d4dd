import { formatIpv4, formatIpv6, ipv4, ipv6 } from '../openflow/oxm/addresses.js';

/**
 * IPv4/IPv6 addresses as bigints, CIDRs, and the canonical text form we store (dotted quad, RFC 5952),
 * so that "2001:DB8::0:1"-style spellings can never dodge a uniqueness check.
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  /** The network address (host bits zero). */
  network: bigint;
  prefixLength: number;
}

export function bitsOf(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

/** Parses an address; IPv4 octets with leading zeros are refused (octal or decimal? nobody can tell). */
export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    if (text.includes(':')) return { version: 6, value: ipv6(text) };
    if (/(^|\.)0\d/.test(text)) return undefined;
    return { version: 4, value: BigInt(ipv4(text)) };
  } catch {
    return undefined;
  }
}

/** Canonical text: dotted quad, or RFC 5952 as inet_ntop writes it (the codec's formatters, so both agree). */
export function formatIp(version: IpVersion, value: bigint): string {
  return version === 4 ? formatIpv4(Number(value)) : formatIpv6(value);
}

/** Canonical text of an address, or undefined when it is not one. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && formatIp(ip.version, ip.value);
}

/** Parses "a.b.c.d/n"; refuses host bits so a CIDR has one spelling. */
export function parseCidr(text: string, { allowHostBits = false } = {}): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const bits = bitsOf(ip.version);
  const lenText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return undefined;
  const prefixLength = Number(lenText);
  if (prefixLength > bits) return undefined;
  const network = ip.value & prefixMask(ip.version, prefixLength);
  if (network !== ip.value && !allowHostBits) return undefined;
  return { version: ip.version, network, prefixLength };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.version, cidr.network)}/${cidr.prefixLength}`;
}

function prefixMask(version: IpVersion, prefixLength: number): bigint {
  const bits = BigInt(bitsOf(version));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefixLength))) - 1n);
}

export function lastAddress(cidr: Cidr): bigint {
  return cidr.network | ((1n << BigInt(bitsOf(cidr.version) - cidr.prefixLength)) - 1n);
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return ip.version === cidr.version && ip.value >= cidr.network && ip.value <= lastAddress(cidr);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

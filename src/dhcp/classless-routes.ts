import { PacketError } from '../packets/errors.js';
import { formatIpv4, ipv4 } from '../openflow/oxm/addresses.js';

/** Option 121, classless static routes (RFC 3442 §3): per route a prefix length, the significant destination octets, the router. */

export interface ClasslessRoute {
  /** CIDR text, e.g. '10.0.0.0/8' or '0.0.0.0/0'. */
  destination: string;
  nexthop: string;
}

function parseCidr(text: string): { addr: number; len: number } {
  const slash = text.indexOf('/');
  const len = slash < 0 ? NaN : Number(text.slice(slash + 1));
  if (!Number.isInteger(len) || len < 0 || len > 32 || !/^\d+$/.test(text.slice(slash + 1))) {
    throw new PacketError(`route destination ${text} is not an IPv4 CIDR`);
  }
  return { addr: ipv4(text.slice(0, slash)), len };
}

export function encodeClasslessRoutes(routes: readonly ClasslessRoute[]): Buffer {
  const parts: number[] = [];
  for (const r of routes) {
    const { addr, len } = parseCidr(r.destination);
    const router = ipv4(r.nexthop);
    parts.push(len);
    for (let i = 0; i < Math.ceil(len / 8); i++) {
      // Host bits beyond the prefix must be zero in the significant octets.
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      parts.push(((addr & mask) >>> (24 - 8 * i)) & 0xff);
    }
    parts.push(router >>> 24, (router >>> 16) & 0xff, (router >>> 8) & 0xff, router & 0xff);
  }
  return Buffer.from(parts);
}

/** The inverse, for tests and logs; throws PacketError on a truncated or impossible descriptor. */
export function decodeClasslessRoutes(data: Uint8Array): ClasslessRoute[] {
  const routes: ClasslessRoute[] = [];
  let at = 0;
  while (at < data.length) {
    const len = data[at++];
    if (len > 32) throw new PacketError(`classless route prefix length ${len} above 32`, at - 1);
    const octets = Math.ceil(len / 8);
    if (at + octets + 4 > data.length) throw new PacketError('truncated classless route', at - 1);
    let addr = 0;
    for (let i = 0; i < 4; i++) addr = addr * 256 + (i < octets ? data[at + i] : 0);
    at += octets;
    const router = ((data[at] << 24) >>> 0) + ((data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]);
    at += 4;
    routes.push({ destination: `${formatIpv4(addr)}/${len}`, nexthop: formatIpv4(router) });
  }
  return routes;
}

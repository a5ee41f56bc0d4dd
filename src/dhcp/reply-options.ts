import { encodeClasslessRoutes } from './classless-routes.js';
import { MessageType, Opt } from './constants.js';
import type { DhcpLease, ResolvedLease } from './lease.js';
import type { DhcpOption } from './message.js';

/** The options of a reply (RFC 2131 table 3, RFC 2132 values), in the order they go on the wire. */

const INFINITE = 0xffffffff;

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Options 54 onward of an OFFER or ACK; `leaseTimes` is false for the ACK to an INFORM. */
export function configOptions(
  lease: DhcpLease,
  r: ResolvedLease,
  type: number,
  leaseTimes: boolean,
  requested: Uint8Array | undefined,
): DhcpOption[] {
  const head: DhcpOption[] = [
    { code: Opt.MESSAGE_TYPE, data: Uint8Array.of(type) },
    { code: Opt.SERVER_ID, data: u32(r.serverIp) },
  ];
  if (leaseTimes) {
    const t = lease.leaseSeconds;
    head.push({ code: Opt.LEASE_TIME, data: u32(t) });
    // An infinite lease is never renewed: T1/T2 would only make the client renew for nothing.
    if (t !== INFINITE) {
      head.push({ code: Opt.RENEWAL_TIME, data: u32(Math.floor(t / 2)) });
      head.push({ code: Opt.REBINDING_TIME, data: u32(Math.floor((t * 7) / 8)) });
    }
  }
  const config: DhcpOption[] = [{ code: Opt.SUBNET_MASK, data: u32(r.mask) }];
  if (r.gateway !== undefined) config.push({ code: Opt.ROUTER, data: u32(r.gateway) });
  if (r.dnsServers.length) config.push({ code: Opt.DNS_SERVERS, data: Buffer.concat(r.dnsServers.map(u32)) });
  if (lease.hostname) config.push({ code: Opt.HOSTNAME, data: ascii(lease.hostname) });
  if (lease.domainName) config.push({ code: Opt.DOMAIN_NAME, data: ascii(lease.domainName) });
  config.push({ code: Opt.MTU, data: Uint8Array.of(lease.mtu >>> 8, lease.mtu & 0xff) });
  if (lease.hostRoutes.length) {
    const routes = [...lease.hostRoutes];
    // A client that gets option 121 ignores option 3 (RFC 3442 §3), so the default route must be in 121 too.
    if (lease.gateway && !routes.some((x) => x.destination.endsWith('/0'))) routes.push({ destination: '0.0.0.0/0', nexthop: lease.gateway });
    config.push({ code: Opt.CLASSLESS_ROUTES, data: encodeClasslessRoutes(routes) });
  }
  return [...head, ...inRequestedOrder(config, requested)];
}

/** Requested options first, in the client's parameter request list order (RFC 2131 §4.3.1), then the rest. */
function inRequestedOrder(options: DhcpOption[], requested: Uint8Array | undefined): DhcpOption[] {
  if (!requested) return options;
  const rank = (code: number): number => {
    const i = requested.indexOf(code);
    return i < 0 ? 256 : i;
  };
  // Array.prototype.sort is stable, so unrequested options keep their order.
  return [...options].sort((a, b) => rank(a.code) - rank(b.code));
}

/** RFC 2131 table 3: a NAK carries the message type, the server identifier and optionally a message. */
export function nakOptions(r: ResolvedLease, message: string): DhcpOption[] {
  return [
    { code: Opt.MESSAGE_TYPE, data: Uint8Array.of(MessageType.NAK) },
    { code: Opt.SERVER_ID, data: u32(r.serverIp) },
    { code: Opt.MESSAGE, data: ascii(message) },
  ];
}

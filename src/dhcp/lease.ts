import { ipv4, mac } from '../openflow/oxm/addresses.js';
import { PacketError } from '../packets/errors.js';

/** What the controller knows about one port, for answering its DHCP requests. */
export interface DhcpLease {
  /** The port's MAC, lower-case colon form. */
  mac: string;
  /** The port's IPv4 fixed IP on a DHCP-enabled subnet. */
  ip: string;
  /** Subnet prefix. */
  prefixLen: number;
  /** Subnet gateway_ip (option 3 router; also the 0.0.0.0/0 route in option 121). */
  gateway?: string;
  /** Option 6 (omitted when empty). */
  dnsServers: string[];
  /**
   * Option 121 classless static routes (RFC 3442), plus the default route via gateway when a gateway exists,
   * since clients ignore option 3 when 121 is present.
   */
  hostRoutes: Array<{ destination: string; nexthop: string }>;
  /** Option 26. */
  mtu: number;
  /** Option 51; T1 (58) = 50%, T2 (59) = 87.5%. */
  leaseSeconds: number;
  /** Option 54 server identifier, the reply's IPv4 source. */
  serverIp: string;
  /** The reply's Ethernet source. */
  serverMac: string;
  /** Option 15 when set. */
  domainName?: string;
  /** Option 12 when set. */
  hostname?: string;
}

/** The lease's addresses as numbers, checked once so building a reply cannot fail half-way. */
export interface ResolvedLease {
  mac: number;
  ip: number;
  mask: number;
  gateway?: number;
  dnsServers: number[];
  serverIp: number;
  serverMac: number;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new PacketError(`invalid lease: ${what}`);
}

/** Throws PacketError or the address parser's ParseError when the lease is not usable. */
export function resolveLease(l: DhcpLease): ResolvedLease {
  check(Number.isInteger(l.prefixLen) && l.prefixLen >= 0 && l.prefixLen <= 32, `prefixLen ${l.prefixLen}`);
  check(Number.isInteger(l.mtu) && l.mtu >= 68 && l.mtu <= 0xffff, `mtu ${l.mtu}`);
  check(Number.isInteger(l.leaseSeconds) && l.leaseSeconds > 0 && l.leaseSeconds <= 0xffffffff, `leaseSeconds ${l.leaseSeconds}`);
  const r: ResolvedLease = {
    mac: mac(l.mac),
    ip: ipv4(l.ip),
    mask: l.prefixLen === 0 ? 0 : (0xffffffff << (32 - l.prefixLen)) >>> 0,
    dnsServers: l.dnsServers.map(ipv4),
    serverIp: ipv4(l.serverIp),
    serverMac: mac(l.serverMac),
  };
  if (l.gateway) r.gateway = ipv4(l.gateway);
  return r;
}

import { App, IntTable } from '../config/pipeline.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { PortInfo, TopologySnapshot } from '../topology/model.js';
import { hostCookie, ownerCookie } from './cookies.js';
import {
  arpSha,
  arpSpa,
  desired,
  ethSrc,
  ethTypeArp,
  ethTypeIpv4,
  ethTypeIpv6,
  inPort,
  instructions,
  ipProtoIcmpv6,
  ipProtoUdp,
  ipSrc,
  ipv6Src,
  udpDst,
  udpSrc,
} from './flow-build.js';
import { ownerMemo } from './flow-memo.js';
import { hostNetworks } from './network-view.js';

/**
 * Port security (anti-spoofing), br-int tables 24 then 25 (goto_table only goes forward): a VM port with
 * port_security_enabled may send only ARP and IP from its own addresses, per MAC (table 24):
 * fixed IPs, allowed address pairs (CIDRs too) and the IPv6 link-local address of each MAC, plus what a
 * host sends before it has an address (DHCP from 0.0.0.0, ICMPv6 from :: for duplicate address detection),
 * and only from its own MACs (table 25: ARP and the address-less cases are matched without dl_src in 24).
 * Anything else from the port (other ethertypes included) is dropped. int-bridge.ts sends the port's frames here instead of table 60.
 * Without port security a port skips both tables, as in Neutron.
 */
const T = IntTable;

export const PortSecurityPriority = {
  ALLOW: 10,
} as const;

const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;

// Only port-security ports reach table 24, and table 25 still checks each one's MACs, so what any host may
// send before it has an address needs no per-port flow: DHCP from 0.0.0.0 (when the controller does not
// serve it, table 0 has sent it up already) and ICMPv6 from :: (duplicate address detection, MLD).
const HOST_COOKIE = hostCookie(App.PORT_SECURITY);
const HOST_DEFAULTS: readonly DesiredFlow[] = [
  desired(HOST_COOKIE, T.ARP_SPOOF, PortSecurityPriority.ALLOW,
    [ethTypeIpv4, ipSrc('0.0.0.0'), ipProtoUdp, udpSrc(DHCP_CLIENT_PORT), udpDst(DHCP_SERVER_PORT)], instructions([], T.MAC_SPOOF)),
  desired(HOST_COOKIE, T.ARP_SPOOF, PortSecurityPriority.ALLOW, [ethTypeIpv6, ipv6Src('::'), ipProtoIcmpv6], instructions([], T.MAC_SPOOF)),
  desired(HOST_COOKIE, T.ARP_SPOOF, 0, [], []),
  desired(HOST_COOKIE, T.MAC_SPOOF, 0, [], []),
];

export function portSecurityFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows = [...HOST_DEFAULTS];
  // A port's flows as one memo entry, on what its claims are derived from (so a hit derives nothing).
  const byPort = ownerMemo<readonly DesiredFlow[]>('ps');
  for (const net of hostNetworks(snap, host)) {
    for (const { port, ofport } of net.localPorts) {
      if (port.portSecurity) flows.push(...byPort.get(port.id, ofport, addressPrint(port), () => portFlows(port, ofport)));
    }
  }
  return flows;
}

/** Everything sourceClaims reads, as text. */
function addressPrint(port: PortInfo): string {
  const pairs = port.allowedAddressPairs.length ? JSON.stringify(port.allowedAddressPairs) : '';
  return `${port.mac}\0${port.fixedIps.join(',')}\0${pairs}`;
}

function portFlows(port: PortInfo, ofport: number): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  const cookie = ownerCookie(App.PORT_SECURITY, port.id);
  const allow = (table: number, match: Parameters<typeof desired>[3], next: number): void => {
    flows.push(desired(cookie, table, PortSecurityPriority.ALLOW, match, instructions([], next)));
  };
  const { macs, v4, v6 } = sourceClaims(port);
  const A = T.ARP_SPOOF;
  for (const { mac, cidr } of v4) {
    allow(A, [inPort(ofport), ethTypeArp, arpSpa(cidr), arpSha(mac)], T.MAC_SPOOF);
    allow(A, [inPort(ofport), ethSrc(mac), ethTypeIpv4, ipSrc(cidr)], T.MAC_SPOOF);
  }
  for (const { mac, cidr } of v6) allow(A, [inPort(ofport), ethSrc(mac), ethTypeIpv6, ipv6Src(cidr)], T.MAC_SPOOF);
  for (const mac of macs) allow(T.MAC_SPOOF, [inPort(ofport), ethSrc(mac)], T.TRANSIENT);
  return flows;
}

interface SourceClaims {
  macs: string[];
  v4: Array<{ mac: string; cidr: string }>;
  v6: Array<{ mac: string; cidr: string }>;
}

const claimsByPort = new WeakMap<PortInfo, SourceClaims>();

/** The sources a port may use: own MAC first, then pairs'; per MAC its addresses, each once. */
export function sourceClaims(port: PortInfo): SourceClaims {
  let c = claimsByPort.get(port);
  if (c) return c;
  const own = port.mac.toLowerCase();
  c = { macs: [own], v4: [], v6: [] };
  const add = (mac: string, cidr: string): void => {
    const list = cidr.includes(':') ? c!.v6 : c!.v4;
    if (!list.some((x) => x.mac === mac && x.cidr === cidr)) list.push({ mac, cidr });
  };
  for (const ip of port.fixedIps) add(own, ip);
  for (const pair of port.allowedAddressPairs) {
    const mac = (pair.macAddress ?? own).toLowerCase();
    if (!c.macs.includes(mac)) c.macs.push(mac);
    add(mac, pair.ipAddress);
  }
  for (const mac of c.macs) add(mac, linkLocal(mac));
  claimsByPort.set(port, c);
  return c;
}

/** The EUI-64 IPv6 link-local address a MAC forms (RFC 4291 appendix A): fe80::xxxx:xxff:fexx:xxxx. */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
  return `fe80::${hex(b[0] ^ 2, b[1])}:${hex(b[2], 0xff)}:${hex(0xfe, b[3])}:${hex(b[4], b[5])}`;
}

import type { PortInfo } from '../topology/model.js';
import { networkMembers, type HostNetwork } from './network-view.js';

/** A MAC a port answers to in its network: its own, or an allowed-address-pair MAC. */
export interface OwnedMac {
  readonly port: PortInfo;
  readonly mac: string;
}

/** An IPv4 address the ARP responder may answer for, and the MAC it resolves to. */
export interface OwnedIp {
  readonly port: PortInfo;
  readonly ip: string;
  readonly mac: string;
}

/** What a port claims, in the order the apps consider it: derived once per PortInfo object. */
interface PortClaims {
  /** Its MACs (own first, then pairs'), lower case, each once. */
  readonly macs: readonly string[];
  /** Single IPv4 addresses with the MAC they resolve to (fixed IPs, then pairs), each (ip, MAC) once. */
  readonly ips: ReadonlyArray<{ readonly ip: string; readonly mac: string }>;
}

const claimsByPort = new WeakMap<PortInfo, PortClaims>();

function claimsOf(port: PortInfo): PortClaims {
  let c = claimsByPort.get(port);
  if (!c) {
    const own = port.mac.toLowerCase();
    const macs = [own];
    const ips: Array<{ ip: string; mac: string }> = [];
    for (const ip of port.fixedIps) addClaim(ips, ip, own);
    for (const pair of port.allowedAddressPairs) {
      const mac = pair.macAddress === undefined ? own : pair.macAddress.toLowerCase();
      if (!macs.includes(mac)) macs.push(mac);
      addClaim(ips, pair.ipAddress, mac);
    }
    c = { macs, ips };
    claimsByPort.set(port, c);
  }
  return c;
}

function addClaim(ips: Array<{ ip: string; mac: string }>, ipText: string, mac: string): void {
  const ip = singleIpv4(ipText);
  if (ip !== undefined && !ips.some((x) => x.ip === ip && x.mac === mac)) ips.push({ ip, mac });
}

// Per member list (shared by the hosts of a network, see networkMembers): the results below.
const macsByMembers = new WeakMap<readonly PortInfo[], OwnedMac[]>();
const uniqueIpsByMembers = new WeakMap<readonly PortInfo[], Map<string, OwnedIp>>();

/**
 * Every MAC of the network's ports (local and remote), each once: a MAC claimed twice (Neutron forbids
 * it within a network) stays with the port that sorts first, so the computed flows stay valid.
 * The array is shared by every host of the network in this snapshot: read it, do not change it.
 */
export function networkMacs(net: HostNetwork): OwnedMac[] {
  const members = networkMembers(net);
  let out = macsByMembers.get(members);
  if (!out) {
    const seen = new Set<string>();
    out = [];
    for (const port of members) {
      for (const mac of claimsOf(port).macs) {
        if (seen.has(mac)) continue;
        seen.add(mac);
        out.push({ port, mac });
      }
    }
    macsByMembers.set(members, out);
  }
  return out;
}

const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A single IPv4 address, or undefined for IPv6, prefixes wider than /32 and garbage. */
function singleIpv4(text: string): string | undefined {
  if (!text.includes('/')) return IPV4_RE.test(text) ? text : undefined;
  const [addr, len] = text.split('/');
  if (len !== undefined && len !== '32') return undefined;
  return IPV4_RE.test(addr) ? addr : undefined;
}

/** The addresses exactly one (port, MAC) of the members claims. */
function uniqueIps(members: readonly PortInfo[]): Map<string, OwnedIp> {
  let unique = uniqueIpsByMembers.get(members);
  if (!unique) {
    const claims = new Map<string, OwnedIp | null>();
    for (const port of members) {
      for (const { ip, mac } of claimsOf(port).ips) claims.set(ip, claims.has(ip) ? null : { port, ip, mac });
    }
    unique = new Map();
    for (const [ip, c] of claims) if (c) unique.set(ip, c);
    uniqueIpsByMembers.set(members, unique);
  }
  return unique;
}

/**
 * IPv4 addresses of the network's ports that exactly one (port, MAC) claims: fixed IPs and single-address
 * pairs. A VIP shared by several ports (VRRP) is not answered, so the owner's own ARP reply decides.
 * In the order the host first meets them: its local ports, then the remote ones.
 */
export function networkIps(net: HostNetwork): OwnedIp[] {
  const unique = uniqueIps(networkMembers(net));
  const out: OwnedIp[] = [];
  for (const port of [...net.localPorts.map((l) => l.port), ...net.remotePorts]) {
    for (const { ip } of claimsOf(port).ips) {
      const owner = unique.get(ip);
      if (owner?.port === port) out.push(owner);
    }
  }
  return out;
}

import type { PortInfo } from '../../../src/topology/model.js';
import type { HostNetwork } from './network-view.js';

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

function macsOfPort(port: PortInfo): string[] {
  const macs = [port.mac, ...port.allowedAddressPairs.map((p) => p.macAddress ?? port.mac)];
  return [...new Set(macs.map((m) => m.toLowerCase()))];
}

/**
 * Every MAC of the network's ports (local and remote), each once: a MAC claimed twice (Neutron forbids
 * it within a network) stays with the port that sorts first, so the computed flows stay valid.
 */
export function networkMacs(net: HostNetwork): OwnedMac[] {
  const seen = new Set<string>();
  const out: OwnedMac[] = [];
  const ports = [...net.localPorts.map((l) => l.port), ...net.remotePorts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const port of ports) {
    for (const mac of macsOfPort(port)) {
      if (seen.has(mac)) continue;
      seen.add(mac);
      out.push({ port, mac });
    }
  }
  return out;
}

/** A single IPv4 address, or undefined for IPv6, prefixes wider than /32 and garbage. */
function singleIpv4(text: string): string | undefined {
  const [addr, len] = text.split('/');
  if (len !== undefined && len !== '32') return undefined;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(addr) ? addr : undefined;
}

/**
 * IPv4 addresses of the network's ports that exactly one (port, MAC) claims: fixed IPs and single-address
 * pairs. A VIP shared by several ports (VRRP) is not answered, so the owner's own ARP reply decides.
 */
export function networkIps(net: HostNetwork): OwnedIp[] {
  const claims = new Map<string, OwnedIp[]>();
  const claim = (port: PortInfo, ipText: string, mac: string): void => {
    const ip = singleIpv4(ipText);
    if (!ip) return;
    const list = claims.get(ip) ?? [];
    if (!list.some((c) => c.port.id === port.id && c.mac === mac)) list.push({ port, ip, mac });
    claims.set(ip, list);
  };
  for (const port of [...net.localPorts.map((l) => l.port), ...net.remotePorts]) {
    for (const ip of port.fixedIps) claim(port, ip, port.mac.toLowerCase());
    for (const pair of port.allowedAddressPairs) claim(port, pair.ipAddress, (pair.macAddress ?? port.mac).toLowerCase());
  }
  return [...claims.values()].filter((c) => c.length === 1).map((c) => c[0]);
}

import { interfaceNameFor, type HostInfo, type NetworkInfo, type PortInfo, type SnapshotInput } from '../../src/topology/model.js';

/**
 * Hand-built topologies for the app tests. Host hN: tunnel IP 192.0.2.(10+N); br-int patch-tun=1 and
 * int-<bridge>=2,3... per mapped bridge; br-tun patch-int=1, vxlan-flow=2; each provider bridge phy-<bridge>=1.
 */
export function makeHost(index: number, bridgeMappings: Record<string, string> = {}): HostInfo {
  const bridges = [...new Set(Object.values(bridgeMappings))];
  const intPorts: Record<string, number> = { 'patch-tun': 1 };
  bridges.forEach((b, i) => (intPorts[`int-${b}`] = 2 + i));
  const providers = Object.fromEntries(bridges.map((b) => [b, { [`phy-${b}`]: 1 }]));
  return {
    name: `h${index}`,
    tunnelIp: `192.0.2.${10 + index}`,
    bridgeMappings,
    ofports: { 'br-int': intPorts, 'br-tun': { 'patch-int': 1, 'vxlan-flow': 2 }, ...providers },
  };
}

/** Port number n gets MAC fa:16:3e:00:HH:LL and one fixed IP derived from n. */
export function makePort(id: string, networkId: string, host: string | undefined, n: number, ofport?: number): PortInfo {
  const hex = n.toString(16).padStart(4, '0');
  return {
    id,
    networkId,
    mac: `fa:16:3e:00:${hex.slice(0, 2)}:${hex.slice(2)}`,
    fixedIps: [`10.${Math.floor(n / 250) % 250}.${n % 250}.${10 + (n % 200)}`],
    allowedAddressPairs: [],
    ...(host ? { host } : {}),
    interfaceName: interfaceNameFor(id),
    ...(ofport !== undefined ? { ofport } : {}),
  };
}

/**
 * Local VLAN = 1 + the network's index in `networks`, on every host that has a bound port of it. Stable
 * when ports come and go, like the store's allocation (a network keeps its number while it is on the host).
 */
export function withLocalVlans(hosts: HostInfo[], networks: NetworkInfo[], ports: PortInfo[]): SnapshotInput {
  const localVlans = new Map<string, { host: string; networkId: string; vlan: number }>();
  networks.forEach((net, i) => {
    for (const p of ports) {
      if (p.networkId === net.id && p.host) localVlans.set(`${p.host}/${net.id}`, { host: p.host, networkId: net.id, vlan: i + 1 });
    }
  });
  return { hosts, networks, ports, localVlans: [...localVlans.values()] };
}

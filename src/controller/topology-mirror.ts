import type { Store } from '../store/store.js';
import { SYSTEM, type Change, type Host, type Network, type Port, type Subnet } from '../store/types.js';

/** What a store change touches: networks whose flows must be recomputed, or everything. */
export interface Touched {
  networks: Set<string>;
  all: boolean;
}

/**
 * The store's hosts, networks and ports in memory, kept current from the change feed, so a recompute
 * never reads SQLite and a port's network is found without a query.
 */
export class TopologyMirror {
  readonly hosts = new Map<string, Host>();
  readonly networks = new Map<string, Network>();
  readonly ports = new Map<string, Port>();
  /** For native DHCP: which ports it answers (enable_dhcp) and what it tells them. */
  readonly subnets = new Map<string, Subnet>();
  private readonly byNetwork = new Map<string, Set<string>>();
  /** Device name prefix (tap/qvo + 11 characters of the id) -> port id. */
  private readonly byDevicePrefix = new Map<string, string>();

  constructor(store: Store) {
    for (const h of store.hosts.list(SYSTEM)) this.hosts.set(h.name, h);
    for (const n of store.networks.list(SYSTEM)) this.networks.set(n.id, n);
    for (const s of store.subnets.list(SYSTEM)) this.subnets.set(s.id, s);
    for (const p of store.ports.list(SYSTEM)) this.putPort(p);
  }

  /** The port's first IPv4 address on a subnet with enable_dhcp, with that subnet: what DHCP leases it. */
  dhcpAddress(port: Port): { ip: string; subnet: Subnet } | undefined {
    for (const f of port.fixed_ips) {
      const subnet = this.subnets.get(f.subnet_id);
      if (subnet?.enable_dhcp && subnet.ip_version === 4) return { ip: f.ip_address, subnet };
    }
    return undefined;
  }

  portsOf(networkId: string): ReadonlySet<string> {
    return this.byNetwork.get(networkId) ?? EMPTY;
  }

  /** The port a br-int interface belongs to, by Neutron's device naming. */
  portOfInterface(name: string): Port | undefined {
    if (!/^(tap|qvo)/.test(name)) return undefined;
    const id = this.byDevicePrefix.get(name.slice(3));
    return id === undefined ? undefined : this.ports.get(id);
  }

  /** Applies one committed change; records in `touched` what it moves, and returns whether it moves any flow. */
  apply(c: Change, touched: Touched): boolean {
    switch (c.kind) {
      case 'host':
        this.hostChanged(c.before, c.after);
        touched.all = true;
        return true;
      case 'network': {
        if (c.after) this.networks.set(c.id, c.after);
        else this.networks.delete(c.id);
        const moves = !c.before || !c.after || networkSegmentChanged(c.before, c.after);
        if (moves) touched.networks.add(c.id);
        return moves;
      }
      case 'port': {
        if (c.before) this.dropPort(c.before);
        if (c.after) this.putPort(c.after);
        const moves = !c.before || !c.after || portWiringChanged(c.before, c.after);
        if (moves) for (const p of [c.before, c.after]) if (p) touched.networks.add(p.network_id);
        return moves;
      }
      case 'subnet': {
        if (c.after) this.subnets.set(c.id, c.after);
        else this.subnets.delete(c.id);
        // Only whether its ports get DHCP moves a flow; the lease details are read when a request comes.
        const moves = !c.before || !c.after || c.before.enable_dhcp !== c.after.enable_dhcp;
        if (moves) touched.networks.add((c.after ?? c.before)!.network_id);
        return moves;
      }
      default:
        return false; // routers, security groups...: no L2 flow depends on them
    }
  }

  private hostChanged(before: Host | undefined, after: Host | undefined): void {
    if (before) this.hosts.delete(before.name);
    if (after) this.hosts.set(after.name, after);
  }

  private putPort(p: Port): void {
    this.ports.set(p.id, p);
    let set = this.byNetwork.get(p.network_id);
    if (!set) this.byNetwork.set(p.network_id, (set = new Set()));
    set.add(p.id);
    this.byDevicePrefix.set(p.id.slice(0, 11), p.id);
  }

  private dropPort(p: Port): void {
    this.ports.delete(p.id);
    this.byNetwork.get(p.network_id)?.delete(p.id);
    if (this.byDevicePrefix.get(p.id.slice(0, 11)) === p.id) this.byDevicePrefix.delete(p.id.slice(0, 11));
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function networkSegmentChanged(a: Network, b: Network): boolean {
  return (
    a['provider:network_type'] !== b['provider:network_type'] ||
    a['provider:physical_network'] !== b['provider:physical_network'] ||
    a['provider:segmentation_id'] !== b['provider:segmentation_id']
  );
}

/** Status, name and revision changes do not move a flow; these fields do. */
function portWiringChanged(a: Port, b: Port): boolean {
  return (
    a.network_id !== b.network_id ||
    a.mac_address !== b.mac_address ||
    a['binding:host_id'] !== b['binding:host_id'] ||
    a.port_security_enabled !== b.port_security_enabled ||
    JSON.stringify(a.fixed_ips) !== JSON.stringify(b.fixed_ips) ||
    JSON.stringify(a.allowed_address_pairs) !== JSON.stringify(b.allowed_address_pairs)
  );
}

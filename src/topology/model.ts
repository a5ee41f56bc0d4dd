/**
 * The topology snapshot the L2 apps compute flows from: plain, immutable data with no link to the
 * SQLite store (a mapper fills it from the store; tests build it by hand). Apps are pure functions
 * of (snapshot, host), so the same snapshot always yields the same flows.
 */

export type NetworkType = 'local' | 'flat' | 'vlan' | 'vxlan';

/** ofports of one bridge's interfaces, by interface name (patch ports, the tunnel port, VM taps). */
export type BridgeOfports = Readonly<Record<string, number>>;

export interface HostInfo {
  readonly name: string;
  /** Underlay address of the host's VTEP (IPv4). */
  readonly tunnelIp: string;
  /** physnet -> provider bridge, e.g. { external: 'br-ex', physnet1: 'br-eth1' }. */
  readonly bridgeMappings: Readonly<Record<string, string>>;
  readonly dvrMac?: string;
  /** Live ofports as OVSDB reports them: bridge name -> interface name -> ofport. */
  readonly ofports: Readonly<Record<string, BridgeOfports>>;
}

export interface NetworkInfo {
  readonly id: string;
  readonly type: NetworkType;
  /** Set for flat and vlan networks. */
  readonly physnet?: string;
  /** Provider VLAN id (vlan) or VNI (vxlan). */
  readonly segmentationId?: number;
}

export interface AddressPair {
  /** A single address or a CIDR; only single addresses are answered by the ARP responder. */
  readonly ipAddress: string;
  /** Neutron defaults it to the port's MAC. */
  readonly macAddress?: string;
}

export interface PortInfo {
  readonly id: string;
  readonly networkId: string;
  readonly mac: string;
  readonly fixedIps: readonly string[];
  readonly allowedAddressPairs: readonly AddressPair[];
  /** binding:host_id; absent when the port is not bound. */
  readonly host?: string;
  /** Device on br-int: `tap`+id[0:11] (or `qvo`... for hybrid plugging), see interfaceNameFor. */
  readonly interfaceName: string;
  /** ofport of interfaceName on br-int once plugged; else looked up in the host's live ofports. */
  readonly ofport?: number;
  /** It has an IPv4 address on a subnet with enable_dhcp: its DHCP requests are the controller's to answer. */
  readonly dhcp?: boolean;
  /** port_security_enabled: it may send only from its own MACs and addresses (apps/port-security.ts). */
  readonly portSecurity?: boolean;
}

export interface TopologySnapshot {
  readonly hosts: ReadonlyMap<string, HostInfo>;
  readonly networks: ReadonlyMap<string, NetworkInfo>;
  readonly ports: ReadonlyMap<string, PortInfo>;
  /** Local VLAN per (host, network), keyed by localVlanKey; allocated by the store. */
  readonly localVlans: ReadonlyMap<string, number>;
}

export interface SnapshotInput {
  hosts: readonly HostInfo[];
  networks: readonly NetworkInfo[];
  ports: readonly PortInfo[];
  localVlans: ReadonlyArray<{ host: string; networkId: string; vlan: number }>;
}

export const INTEGRATION_BRIDGE = 'br-int';

/** Neutron's device name: prefix + the first 11 characters of the port id (14 characters in all). */
export function interfaceNameFor(portId: string, prefix: 'tap' | 'qvo' = 'tap'): string {
  return prefix + portId.slice(0, 11);
}

export function localVlanKey(host: string, networkId: string): string {
  return `${host}\u0000${networkId}`;
}

export function localVlanOf(snap: TopologySnapshot, host: string, networkId: string): number | undefined {
  return snap.localVlans.get(localVlanKey(host, networkId));
}

/** The port's ofport on br-int of its host, or undefined while it is not plugged. */
export function pluggedOfport(snap: TopologySnapshot, port: PortInfo): number | undefined {
  if (port.host === undefined) return undefined;
  const live = port.ofport ?? snap.hosts.get(port.host)?.ofports[INTEGRATION_BRIDGE]?.[port.interfaceName];
  return live !== undefined && live > 0 ? live : undefined;
}

/** Validates references and builds a frozen snapshot (of copies); throws on dangling ids or bad numbers. */
export function createSnapshot(input: SnapshotInput): TopologySnapshot {
  const hosts = byId(input.hosts, (h) => h.name, 'host');
  // Tunnel IPs identify hosts on the underlay (flood lists, VTEP filter), so they must be unique.
  byId(input.hosts, (h) => h.tunnelIp, 'tunnel IP');
  const networks = byId(input.networks, (n) => n.id, 'network');
  for (const n of networks.values()) checkNetwork(n);
  const ports = byId(input.ports, (p) => p.id, 'port');
  const ofportOwner = new Map<string, string>();
  for (const p of ports.values()) {
    if (!networks.has(p.networkId)) throw new Error(`port ${p.id}: unknown network ${p.networkId}`);
    if (p.host !== undefined && !hosts.has(p.host)) throw new Error(`port ${p.id}: unknown host ${p.host}`);
    if (p.host === undefined || p.ofport === undefined) continue;
    // One br-int ofport is one interface: two ports on it would steal each other's traffic.
    const key = `${p.host}/${p.ofport}`;
    const other = ofportOwner.get(key);
    if (other !== undefined) throw new Error(`ports ${other} and ${p.id} both claim ofport ${p.ofport} on ${p.host}`);
    ofportOwner.set(key, p.id);
  }
  const localVlans = new Map<string, number>();
  for (const { host, networkId, vlan } of input.localVlans) {
    if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) throw new Error(`local VLAN ${vlan} of ${networkId} on ${host} is not in 1..4094`);
    localVlans.set(localVlanKey(host, networkId), vlan);
  }
  return Object.freeze({ hosts: freezeMap(hosts), networks: freezeMap(networks), ports: freezeMap(ports), localVlans: freezeMap(localVlans) });
}

function checkNetwork(n: NetworkInfo): void {
  const seg = n.segmentationId;
  if (n.type === 'vlan' && (seg === undefined || seg < 1 || seg > 4094)) throw new Error(`network ${n.id}: vlan needs a segmentation id in 1..4094`);
  if (n.type === 'vxlan' && (seg === undefined || seg < 1 || seg > 0xffffff)) throw new Error(`network ${n.id}: vxlan needs a VNI in 1..16777215`);
  if ((n.type === 'vlan' || n.type === 'flat') && !n.physnet) throw new Error(`network ${n.id}: ${n.type} needs a physnet`);
}

function byId<T>(items: readonly T[], key: (t: T) => string, what: string): Map<string, T> {
  const m = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (m.has(k)) throw new Error(`duplicate ${what} ${k}`);
    // A frozen copy: the caller's objects stay theirs to change.
    m.set(k, deepFreeze(structuredClone(item)));
  }
  return m;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/** A Map whose mutators throw, so a snapshot shared between apps cannot be changed by one of them. */
function freezeMap<K, V>(m: Map<K, V>): ReadonlyMap<K, V> {
  const refuse = (): never => {
    throw new TypeError('topology snapshots are immutable');
  };
  return Object.freeze(Object.assign(m, { set: refuse, delete: refuse, clear: refuse }));
}

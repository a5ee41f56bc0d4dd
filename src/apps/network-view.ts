import {
  localVlanOf,
  pluggedOfport,
  type HostInfo,
  type NetworkInfo,
  type PortInfo,
  type TopologySnapshot,
} from '../topology/model.js';
import { INT_BRIDGE, PATCH_INT, PATCH_TUN, TUNNEL_PORT, TUN_BRIDGE, intPatchPort, phyPatchPort } from './bridge-ports.js';

/** A plugged port of the host being programmed. */
export interface LocalPort {
  readonly port: PortInfo;
  readonly ofport: number;
}

/** Where a network leaves br-int on this host: br-tun (vxlan) or a provider bridge (vlan/flat). */
export type Uplink =
  | { readonly kind: 'tunnel'; readonly intOfport: number; readonly patchOfport: number; readonly tunnelOfport: number }
  | { readonly kind: 'provider'; readonly bridge: string; readonly intOfport: number; readonly phyOfport: number };

/** One network as seen from one host that has it (a plugged port and a local VLAN). */
export interface HostNetwork {
  readonly network: NetworkInfo;
  readonly lvid: number;
  readonly localPorts: readonly LocalPort[];
  /** Active ports of the network on other hosts that have it (the l2pop FDB). */
  readonly remotePorts: readonly PortInfo[];
  /** Other hosts that have the network: flood targets. */
  readonly remoteHosts: readonly HostInfo[];
  readonly uplink?: Uplink;
}

interface Index {
  /** Plugged ports per network, sorted by id so flows come out in a stable order. */
  active: Map<string, Array<{ port: PortInfo; ofport: number }>>;
  /** The ports of `active`, one array per network shared by every host's view of it. */
  members: Map<string, readonly PortInfo[]>;
  perHost: Map<string, HostNetwork[]>;
}

/**
 * The ports a host's view of a network covers (local and remote), sorted by id. Every host that has a
 * non-local network shares one array, so what is derived from it (port-addresses.ts) is computed once.
 */
const membersByView = new WeakMap<HostNetwork, readonly PortInfo[]>();

export function networkMembers(net: HostNetwork): readonly PortInfo[] {
  let m = membersByView.get(net);
  if (!m) {
    m = [...net.localPorts.map((l) => l.port), ...net.remotePorts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    membersByView.set(net, m);
  }
  return m;
}

// Snapshots are immutable, so what is derived from one can be kept for as long as it lives.
const cache = new WeakMap<TopologySnapshot, Index>();

function indexOf(snap: TopologySnapshot): Index {
  let idx = cache.get(snap);
  if (!idx) {
    idx = { active: activePorts(snap), members: new Map(), perHost: new Map() };
    cache.set(snap, idx);
  }
  return idx;
}

function activePorts(snap: TopologySnapshot): Index['active'] {
  const m = new Map<string, Array<{ port: PortInfo; ofport: number }>>();
  const sorted = [...snap.ports.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const port of sorted) {
    const ofport = pluggedOfport(snap, port);
    // A port counts once plugged and its network has a local VLAN there (Neutron: port ACTIVE).
    if (ofport === undefined || localVlanOf(snap, port.host!, port.networkId) === undefined) continue;
    const list = m.get(port.networkId) ?? [];
    list.push({ port, ofport });
    m.set(port.networkId, list);
  }
  return m;
}

/** The networks the host has, with what the apps need to program them. Empty for an unknown host. */
export function hostNetworks(snap: TopologySnapshot, hostName: string): readonly HostNetwork[] {
  const idx = indexOf(snap);
  let list = idx.perHost.get(hostName);
  if (!list) {
    list = computeHostNetworks(snap, idx, hostName);
    idx.perHost.set(hostName, list);
  }
  return list;
}

function computeHostNetworks(snap: TopologySnapshot, idx: Index, hostName: string): HostNetwork[] {
  const host = snap.hosts.get(hostName);
  if (!host) return [];
  const out: HostNetwork[] = [];
  for (const [networkId, ports] of idx.active) {
    const localPorts = ports.filter((p) => p.port.host === hostName);
    if (localPorts.length === 0) continue;
    const network = snap.networks.get(networkId)!;
    const remote = ports.filter((p) => p.port.host !== hostName).map((p) => p.port);
    const remoteHostNames = [...new Set(remote.map((p) => p.host!))].sort();
    const uplink = uplinkOf(host, network);
    const view: HostNetwork = {
      network,
      lvid: localVlanOf(snap, hostName, networkId)!,
      localPorts,
      // Local networks never leave the host, so other hosts' ports do not concern it.
      remotePorts: network.type === 'local' ? [] : remote,
      remoteHosts: network.type === 'local' ? [] : remoteHostNames.map((h) => snap.hosts.get(h)!),
      ...(uplink ? { uplink } : {}),
    };
    if (network.type !== 'local') {
      // Local and remote ports together are all of the network's active ports, already sorted by id.
      let members = idx.members.get(networkId);
      if (!members) idx.members.set(networkId, (members = ports.map((p) => p.port)));
      membersByView.set(view, members);
    }
    out.push(view);
  }
  return out;
}

function uplinkOf(host: HostInfo, network: NetworkInfo): Uplink | undefined {
  const intPorts = host.ofports[INT_BRIDGE] ?? {};
  if (network.type === 'vxlan') {
    const tun = host.ofports[TUN_BRIDGE] ?? {};
    const [intOfport, patchOfport, tunnelOfport] = [intPorts[PATCH_TUN], tun[PATCH_INT], tun[TUNNEL_PORT]];
    if (!(intOfport > 0 && patchOfport > 0 && tunnelOfport > 0)) return undefined;
    return { kind: 'tunnel', intOfport, patchOfport, tunnelOfport };
  }
  if (network.type === 'vlan' || network.type === 'flat') {
    const bridge = host.bridgeMappings[network.physnet!];
    if (!bridge) return undefined;
    const intOfport = intPorts[intPatchPort(bridge)];
    const phyOfport = host.ofports[bridge]?.[phyPatchPort(bridge)];
    if (!(intOfport > 0 && phyOfport > 0)) return undefined;
    return { kind: 'provider', bridge, intOfport, phyOfport };
  }
  return undefined;
}

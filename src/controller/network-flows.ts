import { objectIdOf } from '../apps/cookies.js';
import { l2HostFlows } from '../apps/l2-apps.js';
import { cookieObject } from '../config/pipeline.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import { createSnapshot, type HostInfo, type NetworkInfo, type PortInfo } from '../topology/model.js';
import type { FlowPartitions } from './flow-partitions.js';

export const networkPartition = (networkId: string): string => `net:${networkId}`;
export const portPartition = (portId: string): string => `port:${portId}`;

/** One network as the store and the switches show it now. */
export interface NetworkInput {
  networkId: string;
  /** Undefined once the network is deleted. */
  network: NetworkInfo | undefined;
  /** Its plugged ports, each with host and ofport. */
  ports: readonly PortInfo[];
  hostInfos: ReadonlyMap<string, HostInfo>;
  /** Local VLAN of the network on each host that has it. */
  vlans: ReadonlyMap<string, number>;
  /** Recompute even if no port changed (a host's bridges or tunnel IP changed). */
  forced: boolean;
}

/** The hosts to compute and how: `compute(host)` updates the partitions and returns the bridges that changed. */
export interface NetworkWork {
  hosts: ReadonlySet<string>;
  /** 'ports': only the changed ports' flows and the network flows of their hosts; 'full': everything. */
  mode: 'full' | 'ports';
  compute(host: string): string[];
}

interface Computed {
  segment: string;
  ports: Map<string, { info: PortInfo; print: string }>;
  hosts: Set<string>;
}

/** Above this share of changed ports one full recomputation is cheaper than per-port ones. */
const PORT_MODE_MAX_SHARE = 0.25;

/**
 * A network's flows on each host, kept per owner (the cookie's object): one partition for the flows the
 * network owns (flood lists, VNI, uplink) and one per port. When a few ports change and the set of hosts
 * that have the network does not, only their flows are recomputed, each from a snapshot of the port plus
 * one port per host, and the network flows only on the hosts whose local ports changed. Anything else
 * (host set, segment, shared addresses, a forced recompute) recomputes the whole network.
 */
export class NetworkFlows {
  private readonly computed = new Map<string, Computed>();

  constructor(private readonly partitions: FlowPartitions) {}

  /** Hosts that had the network when its flows were last computed. */
  hostsOf(networkId: string): ReadonlySet<string> {
    return this.computed.get(networkId)?.hosts ?? new Set();
  }

  /** Networks whose flows were computed on the host. */
  networksOn(host: string): string[] {
    return [...this.computed].filter(([, c]) => c.hosts.has(host)).map(([id]) => id);
  }

  known(): string[] {
    return [...this.computed.keys()];
  }

  /** Forgets what the network was computed from, so the next plan recomputes all of it (after a failure). */
  forget(networkId: string): void {
    this.computed.delete(networkId);
  }

  /** Undefined when nothing the network's flows depend on changed. */
  plan(input: NetworkInput): NetworkWork | undefined {
    const { networkId, network, ports } = input;
    const prev = this.computed.get(networkId);
    const segment = network ? `${network.type}/${network.physnet}/${network.segmentationId}` : '';
    const now = new Map(ports.map((p) => [p.id, { info: p, print: portPrint(p) }]));
    const changed = new Set<string>();
    for (const [id, p] of now) if (prev?.ports.get(id)?.print !== p.print) changed.add(id);
    for (const id of prev?.ports.keys() ?? []) if (!now.has(id)) changed.add(id);
    if (!input.forced && prev && prev.segment === segment && !changed.size) return undefined;

    const hosts = new Set(network ? ports.map((p) => p.host!) : []);
    if (hosts.size) this.computed.set(networkId, { segment, ports: now, hosts });
    else this.computed.delete(networkId);
    const prevHosts = prev?.hosts ?? new Set<string>();
    const portMode =
      !input.forced && prev && network && prev.segment === segment && sameSet(prevHosts, hosts) &&
      changed.size <= Math.max(4, now.size * PORT_MODE_MAX_SHARE) &&
      !addressesShared(changed, prev.ports, now) && objectsUnique([...now.keys(), ...prev.ports.keys()]);
    if (portMode) return this.portWork(input, network, changed, prev.ports, hosts);
    return this.fullWork(input, new Set([...hosts, ...prevHosts]), [...new Set([...now.keys(), ...(prev?.ports.keys() ?? [])])]);
  }

  private fullWork(input: NetworkInput, hosts: Set<string>, portIds: string[]): NetworkWork {
    const { network, ports, networkId } = input;
    const having = new Set(ports.map((p) => p.host!));
    const snap = network && having.size ? this.snapshot(input, network, ports, having) : undefined;
    const portParts = portIds.map(portPartition);
    const owners = new Map(portIds.map((id, i) => [objectIdOf(id), portParts[i]]));
    const netPart = networkPartition(networkId);
    return {
      hosts,
      mode: 'full',
      compute: (host) => {
        const split = new Map<string, Map<string, DesiredFlow[]>>();
        if (snap?.hosts.has(host)) {
          for (const [bridge, flows] of l2HostFlows(snap, host)) {
            // The apps list an owner's flows together: look its partition up once per run of one cookie.
            let cookie: bigint | undefined;
            let partition = netPart;
            for (const f of flows) {
              if (f.cookie !== cookie) partition = owners.get(cookieObject((cookie = f.cookie))) ?? netPart;
              addTo(split, partition, bridge, f);
            }
          }
        }
        const out = new Set(this.partitions.replace(netPart, host, split.get(netPart)));
        for (const part of portParts) for (const b of this.partitions.replace(part, host, split.get(part))) out.add(b);
        return [...out];
      },
    };
  }

  private portWork(input: NetworkInput, network: NetworkInfo, changed: Set<string>, before: Computed['ports'], hosts: Set<string>): NetworkWork {
    const byHost = new Map<string, PortInfo[]>();
    for (const p of input.ports) byHost.set(p.host!, [...(byHost.get(p.host!) ?? []), p]);
    const now = new Map(input.ports.map((p) => [p.id, p]));
    // Network flows (flood lists) change only where a changed port is or was local.
    const localChange = new Set<string>();
    for (const id of changed) for (const p of [before.get(id)?.info, now.get(id)]) if (p) localChange.add(p.host!);
    const anchorOn = (host: string, not: string): PortInfo => byHost.get(host)!.find((p) => p.id !== not)!;
    return {
      hosts,
      mode: 'ports',
      compute: (host) => {
        const out = new Set<string>();
        for (const id of changed) {
          const p = now.get(id);
          let flows: Map<string, DesiredFlow[]> | undefined;
          if (p) {
            // The port, plus a port that makes `host` have the network when the port is elsewhere.
            const members = p.host === host ? [p] : [p, anchorOn(host, p.id)];
            flows = ownedBy(l2HostFlows(this.snapshot(input, network, members, new Set([p.host!, host])), host), new Set([objectIdOf(id)]), true);
          }
          for (const b of this.partitions.replace(portPartition(id), host, flows)) out.add(b);
        }
        if (localChange.has(host)) {
          // Its local ports and one port on every other host: the network flows, without the ports' own.
          const members = [...(byHost.get(host) ?? []), ...[...hosts].filter((h) => h !== host).map((h) => byHost.get(h)![0])];
          const flows = ownedBy(l2HostFlows(this.snapshot(input, network, members, hosts), host), new Set(members.map((m) => objectIdOf(m.id))), false);
          for (const b of this.partitions.replace(networkPartition(input.networkId), host, flows)) out.add(b);
        }
        return [...out];
      },
    };
  }

  private snapshot(input: NetworkInput, network: NetworkInfo, ports: readonly PortInfo[], hosts: ReadonlySet<string>) {
    return createSnapshot({
      hosts: [...hosts].map((h) => input.hostInfos.get(h)!),
      networks: [network],
      ports,
      localVlans: [...hosts].map((host) => ({ host, networkId: input.networkId, vlan: input.vlans.get(host)! })),
    });
  }
}

const prints = new WeakMap<PortInfo, string>();

/** Everything a port's flows depend on, as text (kept per object: the controller hands unchanged ports in again). */
function portPrint(p: PortInfo): string {
  let print = prints.get(p);
  if (print === undefined) prints.set(p, (print = printOf(p)));
  return print;
}

function printOf(p: PortInfo): string {
  return `${p.host}/${p.interfaceName}/${p.ofport}/${p.mac}/${p.fixedIps.join()}/${JSON.stringify(p.allowedAddressPairs)}/${p.dhcp ? 'dhcp' : ''}/${p.portSecurity ? 'ps' : ''}`;
}

function addressesOf(p: PortInfo): string[] {
  return [p.mac, ...p.allowedAddressPairs.map((a) => a.macAddress ?? p.mac), ...p.fixedIps, ...p.allowedAddressPairs.map((a) => a.ipAddress)]
    .map((a) => a.toLowerCase());
}

/**
 * Whether a changed port (old or new version) shares a MAC or address with another port: the apps then
 * decide between the claimants (first MAC wins, a shared IP is not answered), so other ports' flows move too.
 */
function addressesShared(changed: Set<string>, before: Computed['ports'], now: Computed['ports']): boolean {
  const owners = new Map<string, Set<string>>();
  for (const [id, { info }] of now) {
    for (const a of addressesOf(info)) owners.set(a, (owners.get(a) ?? new Set()).add(id));
  }
  for (const id of changed) {
    for (const v of [before.get(id)?.info, now.get(id)?.info]) {
      for (const a of v ? addressesOf(v) : []) if ([...(owners.get(a) ?? [])].some((other) => other !== id)) return true;
    }
  }
  return false;
}

/** Cookie objects are 48 bits of the id: two ports sharing one could not be told apart. */
function objectsUnique(ids: string[]): boolean {
  return new Set(ids.map(objectIdOf)).size === new Set(ids).size;
}

/** The flows whose owner is (`keep` true) or is not (`keep` false) one of `objects`. */
function ownedBy(flows: Map<string, DesiredFlow[]>, objects: Set<bigint>, keep: boolean): Map<string, DesiredFlow[]> {
  return new Map([...flows].map(([bridge, list]) => [bridge, list.filter((f) => objects.has(cookieObject(f.cookie)) === keep)]));
}

function addTo(split: Map<string, Map<string, DesiredFlow[]>>, partition: string, bridge: string, f: DesiredFlow): void {
  let byBridge = split.get(partition);
  if (!byBridge) split.set(partition, (byBridge = new Map()));
  let list = byBridge.get(bridge);
  if (!list) byBridge.set(bridge, (list = []));
  list.push(f);
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

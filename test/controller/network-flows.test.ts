import { describe, expect, it } from 'vitest';
import { flowToText } from '../../src/apps/flow-text.js';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { BASE_PARTITION, FlowPartitions } from '../../src/controller/flow-partitions.js';
import { NetworkFlows, type NetworkWork } from '../../src/controller/network-flows.js';
import { createSnapshot, type HostInfo, type NetworkInfo, type PortInfo } from '../../src/topology/model.js';
import { makeHost, makePort } from '../apps/snapshot-builder.js';
import { Prng } from '../support/prng.js';

// The controller keeps flows per network and per port and recomputes only what a change touches; after
// any sequence of changes, the union must be exactly what the apps compute from the whole topology.
const MAPPINGS = { physnet1: 'br-eth1', external: 'br-ex' };
const HOSTS: HostInfo[] = [1, 2, 3, 4].map((i) => makeHost(i, MAPPINGS));
const HOST_INFOS = new Map(HOSTS.map((h) => [h.name, h]));
const NETWORKS: NetworkInfo[] = [
  { id: '0a0a0a0a-0000-4000-8000-00000000000a', type: 'vxlan', segmentationId: 100 },
  { id: '0b0b0b0b-0000-4000-8000-00000000000b', type: 'vxlan', segmentationId: 200 },
  { id: '0c0c0c0c-0000-4000-8000-00000000000c', type: 'vlan', physnet: 'physnet1', segmentationId: 300 },
  { id: '0d0d0d0d-0000-4000-8000-00000000000d', type: 'flat', physnet: 'external' },
  { id: '0e0e0e0e-0000-4000-8000-00000000000e', type: 'local' },
];
const vlanOf = (host: string, net: NetworkInfo): number => 1 + NETWORKS.indexOf(net) + 10 * Number(host.slice(1));

function portId(n: number): string {
  return `${n.toString(16).padStart(8, '0')}-1111-4111-8111-111111111111`;
}

class World {
  readonly ports = new Map<string, PortInfo>();
  readonly partitions = new FlowPartitions();
  readonly flows = new NetworkFlows(this.partitions);
  readonly modes: string[] = [];

  constructor() {
    const base = createSnapshot({ hosts: HOSTS, networks: [], ports: [], localVlans: [] });
    for (const h of HOSTS) this.partitions.update(BASE_PARTITION, h.name, base);
  }

  /** What the controller does for one network after a change; returns the work (undefined: nothing to do). */
  sync(net: NetworkInfo, forced = false): NetworkWork | undefined {
    const ports = [...this.ports.values()].filter((p) => p.networkId === net.id);
    const vlans = new Map(ports.map((p) => [p.host!, vlanOf(p.host!, net)]));
    const work = this.flows.plan({ networkId: net.id, network: net, ports, hostInfos: HOST_INFOS, vlans, forced });
    if (work) {
      this.modes.push(work.mode);
      for (const h of work.hosts) work.compute(h);
    }
    return work;
  }

  expectWhole(): void {
    const ports = [...this.ports.values()];
    const localVlans = [...new Set(ports.map((p) => `${p.host} ${p.networkId}`))].map((k) => {
      const [host, networkId] = k.split(' ');
      return { host, networkId, vlan: vlanOf(host, NETWORKS.find((n) => n.id === networkId)!) };
    });
    const whole = createSnapshot({ hosts: HOSTS, networks: NETWORKS, ports, localVlans });
    for (const h of HOSTS) {
      const expected = l2HostFlows(whole, h.name);
      for (const bridge of new Set([...this.partitions.bridgesOf(h.name), ...expected.keys()])) {
        expect(lines(this.partitions.merged(h.name, bridge)), `${h.name}/${bridge}`).toEqual(lines(expected.get(bridge) ?? []));
      }
    }
  }
}

const lines = (flows: Parameters<typeof flowToText>[0][]): string[] => flows.map(flowToText).sort();

describe('network flows', () => {
  it('after random adds, removes, moves, re-plugs and shared addresses, the union equals the whole topology', () => {
    const random = new Prng(7);
    const rnd = (): number => random.u32() / 2 ** 32;
    const w = new World();
    let next = 1;
    const add = (): void => {
      const n = next++;
      const net = NETWORKS[Math.floor(rnd() * NETWORKS.length)];
      const port = makePort(portId(n), net.id, `h${1 + Math.floor(rnd() * 3)}`, n, 100 + n);
      w.ports.set(port.id, port);
    };
    for (let i = 0; i < 40; i++) add();
    for (const net of NETWORKS) w.sync(net, true);
    w.expectWhole();
    for (let step = 0; step < 60; step++) {
      const ids = [...w.ports.keys()];
      const victim = w.ports.get(ids[Math.floor(rnd() * ids.length)])!;
      const op = Math.floor(rnd() * 5);
      if (op === 0) add();
      if (op === 1) w.ports.delete(victim.id);
      if (op === 2) w.ports.set(victim.id, { ...victim, host: `h${1 + Math.floor(rnd() * 3)}`, ofport: 5000 + step });
      if (op === 3) w.ports.set(victim.id, { ...victim, ofport: 6000 + step });
      // A VIP shared with another port of its network (VRRP): the apps stop answering it.
      if (op === 4) {
        const other = [...w.ports.values()].find((p) => p.networkId === victim.networkId && p.id !== victim.id);
        if (other) w.ports.set(victim.id, { ...victim, allowedAddressPairs: [{ ipAddress: other.fixedIps[0] }] });
      }
      for (const net of NETWORKS) w.sync(net);
      w.expectWhole();
    }
    // Most single changes took the per-port path; the others (new host for a network, shared address) the full one.
    expect(w.modes.filter((m) => m === 'ports').length).toBeGreaterThan(20);
    expect(w.modes).toContain('full');
  });

  it('does nothing for a network whose plugged ports did not change, and only touches what a port owns', () => {
    const w = new World();
    for (let n = 1; n <= 12; n++) w.ports.set(portId(n), makePort(portId(n), NETWORKS[0].id, `h${1 + (n % 3)}`, n, 100 + n));
    w.sync(NETWORKS[0], true);
    expect(w.sync(NETWORKS[0])).toBeUndefined();
    const before = new Map(HOSTS.map((h) => [h.name, lines(w.partitions.merged(h.name, 'br-int'))]));
    const added = makePort(portId(99), NETWORKS[0].id, 'h1', 99, 199);
    w.ports.set(added.id, added);
    const work = w.sync(NETWORKS[0])!;
    expect(work.mode).toBe('ports');
    w.expectWhole();
    const cookieHex = added.id.replace(/-/g, '').slice(0, 12);
    for (const h of ['h2', 'h3']) {
      // Elsewhere: only flows the new port owns appear, nothing else moves.
      const now = lines(w.partitions.merged(h, 'br-int'));
      const fresh = now.filter((l) => !before.get(h)!.includes(l));
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.every((l) => l.includes(cookieHex)), fresh.join('\n')).toBe(true);
      expect(before.get(h)!.every((l) => now.includes(l))).toBe(true);
    }
  });
});

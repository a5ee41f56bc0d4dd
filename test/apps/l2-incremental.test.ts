import { describe, expect, it } from 'vitest';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { objectIdOf } from '../../src/apps/cookies.js';
import { indexDesired } from '../../src/reconciler/desired-flow.js';
import { createSnapshot, type NetworkInfo, type PortInfo } from '../../src/topology/model.js';
import { cookieOfLine, diffSnapshots, type LineDiff } from './flow-lines.js';
import { makeHost, makePort, withLocalVlans } from './snapshot-builder.js';

const N: NetworkInfo = { id: 'net-n', type: 'vxlan', segmentationId: 1001 };
const M: NetworkInfo = { id: 'net-m', type: 'vxlan', segmentationId: 1002 };
const HOSTS = ['h1', 'h2', 'h3'];
const hosts = [makeHost(1), makeHost(2), makeHost(3)];
const n1 = makePort('port-n1', N.id, 'h1', 1, 10);
const n2 = makePort('port-n2', N.id, 'h2', 2, 10);
const m1 = makePort('port-m1', M.id, 'h3', 3, 10);

function snapshotOf(ports: PortInfo[]) {
  return createSnapshot(withLocalVlans(hosts, [N, M], ports));
}
const ownedBy = (id: string) => (line: string): boolean => cookieOfLine(line).object === objectIdOf(id);
const all = (d: LineDiff | undefined): string[] => (d ? [...d.added, ...d.removed] : []);

describe('a port change touches only its own flows, on the hosts it affects', () => {
  const base = snapshotOf([n1, n2, m1]);

  it('adding a port where its network already is: its flows everywhere, plus that host\'s flood list', () => {
    const p = makePort('port-new', N.id, 'h2', 9, 11);
    const diff = diffSnapshots(base, snapshotOf([n1, n2, m1, p]), HOSTS);
    expect([...diff.keys()].sort()).toEqual(['h1 br-int', 'h1 br-tun', 'h2 br-int']);
    expect(diff.get('h1 br-int')!.removed).toEqual([]);
    expect(all(diff.get('h1 br-int')).every(ownedBy(p.id))).toBe(true);
    expect(diff.get('h1 br-tun')!.added).toHaveLength(1); // the l2pop entry
    expect(all(diff.get('h1 br-tun')).every(ownedBy(p.id))).toBe(true);
    // h2: classify, deliver, ARP answer + owner bypass; the network's flood flow gains output:11.
    const h2 = diff.get('h2 br-int')!;
    expect(h2.added.filter(ownedBy(p.id))).toHaveLength(4);
    expect([...h2.added, ...h2.removed].filter((l) => !ownedBy(p.id)(l))).toEqual([
      `cookie=0x2${objectIdOf(N.id).toString(16).padStart(12, '0')}, table=94, priority=1,reg6=0x1 actions=output:10,output:11,push_vlan:0x8100,set_field:4097->vlan_vid,output:1`,
      `cookie=0x2${objectIdOf(N.id).toString(16).padStart(12, '0')}, table=94, priority=1,reg6=0x1 actions=output:10,push_vlan:0x8100,set_field:4097->vlan_vid,output:1`,
    ]);
  });

  it('the first port of a network on a host: other hosts only gain it as a flood target', () => {
    const p = makePort('port-new', N.id, 'h3', 9, 11);
    const diff = diffSnapshots(base, snapshotOf([n1, n2, m1, p]), HOSTS);
    for (const h of ['h1', 'h2']) {
      expect(all(diff.get(`${h} br-int`)).every(ownedBy(p.id))).toBe(true);
      const tunNotOwned = all(diff.get(`${h} br-tun`)).filter((l) => !ownedBy(p.id)(l));
      expect(tunNotOwned).toHaveLength(2); // the table 22 flood flow, replaced
      expect(tunNotOwned.every((l) => ownedBy(N.id)(l) && l.includes('table=22'))).toBe(true);
    }
    // h3 gets the network, with everything it needs to reach n1 and n2, and M's flows stay as they are.
    const h3 = all(diff.get('h3 br-int'));
    expect(h3.every((l) => ownedBy(p.id)(l) || ownedBy(N.id)(l) || ownedBy(n1.id)(l) || ownedBy(n2.id)(l))).toBe(true);
    expect(h3.filter(ownedBy(m1.id))).toEqual([]);
  });

  it('removing a port is the exact mirror of adding it', () => {
    const p = makePort('port-new', N.id, 'h2', 9, 11);
    const withP = snapshotOf([n1, n2, m1, p]);
    const added = diffSnapshots(base, withP, HOSTS);
    const removed = diffSnapshots(withP, base, HOSTS);
    expect([...removed.keys()]).toEqual([...added.keys()]);
    for (const [k, d] of added) expect(removed.get(k)).toEqual({ added: d.removed, removed: d.added });
  });

  it('moving a port re-points only its own entries and the network\'s flood lists', () => {
    const moved = { ...n2, host: 'h3', ofport: 12 };
    const diff = diffSnapshots(base, snapshotOf([n1, moved, m1]), HOSTS);
    const h1 = [...all(diff.get('h1 br-int')), ...all(diff.get('h1 br-tun'))];
    expect(h1.filter((l) => !ownedBy(n2.id)(l))).toHaveLength(2); // table 22 flood: 192.0.2.12 -> 192.0.2.13
    expect(h1.filter(ownedBy(n2.id)).some((l) => l.includes('192.0.2.13->tun_dst'))).toBe(true);
    // h2 loses network N entirely; M on h3 is untouched.
    expect(diff.get('h2 br-int')!.added).toEqual([]);
    expect(all(diff.get('h3 br-int')).filter(ownedBy(m1.id))).toEqual([]);
  });
});

describe('scale: 10 networks x 100 ports x 3 hosts', () => {
  it('needs at most 20 flows per port on average', () => {
    const networks: NetworkInfo[] = Array.from({ length: 10 }, (_, i): NetworkInfo =>
      i < 7 ? { id: `net-${i}`, type: 'vxlan', segmentationId: 5000 + i }
        : i < 9 ? { id: `net-${i}`, type: 'vlan', physnet: 'physnet1', segmentationId: 100 + i }
          : { id: `net-${i}`, type: 'flat', physnet: 'physnet2' });
    const ports = networks.flatMap((net, i) =>
      Array.from({ length: 100 }, (_, j) => makePort(`port-${i}-${j}`, net.id, `h${(j % 3) + 1}`, i * 100 + j + 1, 10 + i * 40 + Math.floor(j / 3))));
    const mappings = { physnet1: 'br-eth1', physnet2: 'br-eth2' };
    const snap = createSnapshot(withLocalVlans([makeHost(1, mappings), makeHost(2, mappings), makeHost(3, mappings)], networks, ports));
    let total = 0;
    for (const h of HOSTS) {
      for (const flows of l2HostFlows(snap, h).values()) {
        expect(indexDesired(flows).size).toBe(flows.length); // every flow a distinct identity
        total += flows.length;
      }
    }
    const perPort = total / ports.length;
    console.log(`scale: ${total} flows for ${ports.length} ports on 3 hosts = ${perPort.toFixed(2)} per port`);
    expect(perPort).toBeLessThanOrEqual(20);
    expect(perPort).toBeGreaterThan(5); // sanity: every port has flows on all three hosts
  });
});

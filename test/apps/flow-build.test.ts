import { describe, expect, it } from 'vitest';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { App, cookieApp } from '../../src/config/pipeline.js';
import { Memo, flowMemo } from '../../src/apps/flow-memo.js';
import { encodeMessageToBuffer } from '../../src/openflow/messages/index.js';
import { addFlowMod, type DesiredFlow } from '../../src/reconciler/desired-flow.js';
import { createSnapshot, type NetworkInfo, type TopologySnapshot } from '../../src/topology/model.js';
import { edgeSnapshot } from './edge-topology.js';
import { snap as mixed } from './mixed-topology.js';
import { scaleSnapshot } from './scale-topology.js';
import { makeHost, makePort, withLocalVlans } from './snapshot-builder.js';
import { l2HostFlows as textHostFlows } from './text-oracle/l2-apps.js';

const hex = (f: DesiredFlow): string => encodeMessageToBuffer(addFlowMod(f)).toString('hex');

/** Every host (and an unknown one): same bridges, same flows in the same order, byte for byte. Returns the known hosts' count. */
function expectSameAsText(snap: TopologySnapshot): number {
  let n = 0;
  for (const host of [...snap.hosts.keys(), 'no-such-host']) {
    const built = l2HostFlows(snap, host);
    const text = textHostFlows(snap, host);
    expect([...built.keys()]).toEqual([...text.keys()]);
    for (const [bridge, flows] of text) {
      const mine = built.get(bridge)!;
      expect(mine.map(hex), `${host} ${bridge}`).toEqual(flows.map(hex));
      expect(mine).toEqual(flows); // same values and value types too, not just the same bytes
      if (snap.hosts.has(host)) n += flows.length;
    }
  }
  return n;
}

describe('flows built with typed builders are exactly the text-built ones', () => {
  it('on the mixed topology of l2-flows.test.ts', () => {
    expect(expectSameAsText(mixed)).toBeGreaterThan(50);
  });

  it('on edge cases: UUIDs, live ofports, MAC spellings, shared addresses, missing uplinks', () => {
    const snap = edgeSnapshot();
    expect(expectSameAsText(snap)).toBeGreaterThan(40);
    // The DHCP ports' flows are among them (3 ports on h1 and h2: intercept + rogue-server drop each).
    const dhcp = [...snap.hosts.keys()].flatMap((h) => l2HostFlows(snap, h).get('br-int')!).filter((f) => cookieApp(f.cookie) === App.DHCP);
    expect(dhcp).toHaveLength(6);
    const spoof = [...snap.hosts.keys()].flatMap((h) => l2HostFlows(snap, h).get('br-int')!).filter((f) => cookieApp(f.cookie) === App.PORT_SECURITY);
    expect(spoof.length).toBeGreaterThan(20);
  });

  it('on the incremental topologies (adding, moving a port)', () => {
    const N: NetworkInfo = { id: 'net-n', type: 'vxlan', segmentationId: 1001 };
    const M: NetworkInfo = { id: 'net-m', type: 'vxlan', segmentationId: 1002 };
    const hosts = [makeHost(1), makeHost(2), makeHost(3)];
    const n2 = makePort('port-n2', N.id, 'h2', 2, 10);
    const base = [makePort('port-n1', N.id, 'h1', 1, 10), n2, makePort('port-m1', M.id, 'h3', 3, 10)];
    for (const ports of [base, [...base, makePort('port-new', N.id, 'h3', 9, 11)], [base[0], { ...n2, host: 'h3', ofport: 12 }, base[2]]]) {
      expectSameAsText(createSnapshot(withLocalVlans(hosts, [N, M], ports)));
    }
  });

  it('at scale: 10 networks x 100 ports x 3 hosts, and with one more port', () => {
    expect(expectSameAsText(scaleSnapshot())).toBe(9571); // 9559 L2 flows + 4 port-security defaults per host
    expectSameAsText(scaleSnapshot(100, 1));
  });
});

describe('memoised flows', () => {
  const all = (snap: TopologySnapshot, host: string): DesiredFlow[] => [...l2HostFlows(snap, host).values()].flat();

  it('are frozen', () => {
    for (const f of all(mixed, 'h1')) {
      expect(Object.isFrozen(f) && Object.isFrozen(f.match) && Object.isFrozen(f.instructions)).toBe(true);
      expect(f.match.every((e) => Object.isFrozen(e)) && f.instructions.every((i) => Object.isFrozen(i))).toBe(true);
    }
  });

  it('come back as the same objects from an equal snapshot (copies of every object)', () => {
    const [a, b] = [scaleSnapshot(), scaleSnapshot()];
    for (const h of ['h1', 'h2', 'h3']) {
      const [x, y] = [all(a, h), all(b, h)];
      expect(y.length).toBe(x.length);
      expect(y.every((f, i) => f === x[i])).toBe(true);
    }
  });

  it('after one more port, only the flows that changed are new objects', () => {
    const before = new Map(['h1', 'h2', 'h3'].map((h) => [h, new Set(all(scaleSnapshot(), h))]));
    const after = scaleSnapshot(100, 1);
    const fresh = (h: string): DesiredFlow[] => all(after, h).filter((f) => !before.get(h)!.has(f));
    // Its own host: classify, deliver, ARP answer and owner bypass, plus net-0's flood list there.
    expect(fresh('h1').map((f) => `${f.tableId}/${f.priority}`).sort()).toEqual(['0/10', '60/20', '60/21', '94/1', '94/20']);
    // Elsewhere: the remote MAC on br-int, its l2pop entry on br-tun and the ARP answer.
    for (const h of ['h2', 'h3']) expect(fresh(h).map((f) => `${f.tableId}/${f.priority}`).sort()).toEqual(['20/2', '60/20', '94/10']);
  });

  it('keep what is asked for within every generation, drop the rest, and stay bounded under churn', () => {
    let clock = 0;
    const m = new Memo<object>(10, 1 << 20, () => clock); // generations of 10 ticks
    const live = Array.from({ length: 1000 }, (_, i) => `live-${i}`);
    const recompute = (r: number): Map<string, object> => {
      const got = new Map(live.map((k) => [k, m.get(k, () => ({ k }))]));
      for (let j = 0; j < 100; j++) m.get(`churn-${r}-${j}`, () => ({ r, j })); // each asked for once
      clock += 3;
      return got;
    };
    const first = recompute(0);
    let rebuilt = 0;
    for (let r = 1; r < 300; r++) {
      const got = recompute(r);
      for (const k of live) if (got.get(k) !== first.get(k)) rebuilt++;
    }
    expect(rebuilt).toBe(0);
    // 30,000 churned keys went through it; at most two generations (4 recomputes each) of them remain.
    expect(m.size).toBeLessThanOrEqual(2 * live.length + 8 * 100);
    let again = 0;
    m.get('churn-0-0', () => ({ n: ++again }));
    expect(again).toBe(1); // asked for once, long ago: built again

    // A quiet memo keeps everything: generations turn only on a miss.
    clock += 1_000;
    expect(m.get('live-0', () => ({}))).toBe(first.get('live-0'));
    expect(flowMemo.size).toBeGreaterThan(0);
  });

  it('turn a generation early when it grows too large', () => {
    const m = new Memo<number>(Infinity, 100);
    for (let i = 0; i < 10_000; i++) m.get(`k${i}`, () => i);
    expect(m.size).toBeLessThanOrEqual(200);
  });
});

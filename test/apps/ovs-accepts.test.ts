import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { flowToText } from '../../src/apps/flow-text.js';
import type { TopologySnapshot } from '../../src/topology/model.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';
import { edgeSnapshot } from './edge-topology.js';
import { snap as mixed } from './mixed-topology.js';

// The text oracle proves our bytes are OVS's encoding of the intended flows; this proves OVS accepts
// them as a set (prerequisites, forward-only goto_table, no duplicate identities): every bridge of
// every host of the richest topologies, installed in one bundle into a real (dummy) bridge.
const BRIDGES = ['br-int', 'br-tun', 'br-eth1', 'br-ex'];

describe('OVS accepts every flow the apps compute', () => {
  let ovs: OvsSandbox;
  beforeAll(async () => {
    ovs = await OvsSandbox.start();
    for (const b of BRIDGES) ovs.vsctl('add-br', b, '--', 'set', 'bridge', b, 'datapath_type=dummy', 'fail_mode=secure', 'protocols=OpenFlow13');
  });
  afterAll(async () => {
    await ovs?.stop();
  });

  function installAll(snap: TopologySnapshot): number {
    let n = 0;
    for (const host of snap.hosts.keys()) {
      for (const [bridge, flows] of l2HostFlows(snap, host)) {
        ovs.ofctl('del-flows', bridge);
        const file = join(ovs.dir, `${host}-${bridge}.flows`);
        writeFileSync(file, flows.map(flowToText).join('\n') + '\n');
        ovs.ofctl('--bundle', 'add-flows', bridge, file);
        expect(ovs.dumpFlows(bridge), `${host} ${bridge}`).toHaveLength(flows.length);
        n += flows.length;
      }
    }
    return n;
  }

  it('on the edge topology (DHCP, port security with CIDR and IPv6 pairs, vlan/flat/vxlan, extreme ids)', () => {
    expect(installAll(edgeSnapshot())).toBeGreaterThan(80);
  });

  it('on the mixed topology', () => {
    expect(installAll(mixed)).toBeGreaterThan(50);
  });
});

import { App, PhysTable } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { phyPatchPort } from '../../../src/apps/bridge-ports.js';
import { hostCookie, ownerCookie } from '../../../src/apps/cookies.js';
import { flow } from '../../../src/apps/flow-text.js';
import { hostNetworks } from './network-view.js';

/**
 * A provider bridge (br-ethX, br-ex) of one host, Neutron-shaped: frames from br-int carry the local
 * VLAN and leave with the provider VLAN (vlan) or untagged (flat); NORMAL does the rest, as in Neutron.
 * Ingress translation happens on br-int (int-br-X), so this bridge passes the wire's frames as they are.
 */
const T = PhysTable;

/** Flows for every provider bridge the host maps a physnet to, keyed by bridge name. */
export function physBridgeFlows(snap: TopologySnapshot, hostName: string): Map<string, DesiredFlow[]> {
  const host = snap.hosts.get(hostName);
  const out = new Map<string, DesiredFlow[]>();
  if (!host) return out;
  const c = hostCookie(App.LOCAL_SWITCHING);
  for (const bridge of new Set(Object.values(host.bridgeMappings))) {
    const phy = host.ofports[bridge]?.[phyPatchPort(bridge)];
    if (!(phy > 0)) continue;
    out.set(bridge, [
      flow(c, `table=${T.LOCAL_SWITCHING},priority=0,actions=NORMAL`),
      // Frames from br-int in a VLAN no network owns here must not reach the wire.
      flow(c, `table=${T.LOCAL_SWITCHING},priority=2,in_port=${phy},actions=drop`),
    ]);
  }
  for (const net of hostNetworks(snap, hostName)) {
    const up = net.uplink;
    if (up?.kind !== 'provider') continue;
    const egress = net.network.type === 'vlan' ? `mod_vlan_vid:${net.network.segmentationId}` : 'strip_vlan';
    out.get(up.bridge)?.push(flow(ownerCookie(App.LOCAL_SWITCHING, net.network.id),
      `table=${T.LOCAL_SWITCHING},priority=4,in_port=${up.phyOfport},dl_vlan=${net.lvid},actions=${egress},NORMAL`));
  }
  return out;
}

import { App, PhysTable } from '../config/pipeline.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { phyPatchPort } from './bridge-ports.js';
import { hostCookie, ownerCookie } from './cookies.js';
import { desired, dlVlan, inPort, instructions, NORMAL, POP_VLAN, setVlanVid } from './flow-build.js';
import { idPart, memo } from './flow-memo.js';
import { hostNetworks } from './network-view.js';

/**
 * A provider bridge (br-ethX, br-ex) of one host, Neutron-shaped: frames from br-int carry the local
 * VLAN and leave with the provider VLAN (vlan) or untagged (flat); NORMAL does the rest, as in Neutron.
 * Ingress translation happens on br-int (int-br-X), so this bridge passes the wire's frames as they are.
 */
const T = PhysTable;
const HOST_COOKIE = hostCookie(App.LOCAL_SWITCHING);
const NORMAL_DEFAULT = desired(HOST_COOKIE, T.LOCAL_SWITCHING, 0, [], instructions([NORMAL]));

/** Flows for every provider bridge the host maps a physnet to, keyed by bridge name. */
export function physBridgeFlows(snap: TopologySnapshot, hostName: string): Map<string, DesiredFlow[]> {
  const host = snap.hosts.get(hostName);
  const out = new Map<string, DesiredFlow[]>();
  if (!host) return out;
  for (const bridge of new Set(Object.values(host.bridgeMappings))) {
    const phy = host.ofports[bridge]?.[phyPatchPort(bridge)];
    if (!(phy > 0)) continue;
    out.set(bridge, [
      NORMAL_DEFAULT,
      // Frames from br-int in a VLAN no network owns here must not reach the wire.
      memo(`p.dr\0${phy}`, () => desired(HOST_COOKIE, T.LOCAL_SWITCHING, 2, [inPort(phy)], [])),
    ]);
  }
  for (const net of hostNetworks(snap, hostName)) {
    const up = net.uplink;
    if (up?.kind !== 'provider') continue;
    const list = out.get(up.bridge);
    if (!list) continue;
    // mod_vlan_vid:segid (vlan) or strip_vlan (flat), then NORMAL.
    const seg = net.network.type === 'vlan' ? net.network.segmentationId! : undefined;
    list.push(memo(`p.eg\0${idPart(net.network.id)}\0${up.phyOfport}\0${net.lvid}\0${seg ?? ''}`, () =>
      desired(ownerCookie(App.LOCAL_SWITCHING, net.network.id), T.LOCAL_SWITCHING, 4,
        [inPort(up.phyOfport), dlVlan(net.lvid)], instructions([seg === undefined ? POP_VLAN : setVlanVid(seg), NORMAL]))));
  }
  return out;
}

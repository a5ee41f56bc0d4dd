import { App, IntTable, Reg } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { hostCookie, ownerCookie } from '../../../src/apps/cookies.js';
import { flow, vlanVid } from '../../../src/apps/flow-text.js';
import { hostNetworks, type HostNetwork, type Uplink } from './network-view.js';
import { networkMacs } from './port-addresses.js';

/**
 * br-int of one host (pipeline table in README.md). Frames are untagged inside br-int and carry their
 * network's local VLAN in reg6 (as Neutron's OVS firewall does); they are tagged only on the way to an
 * uplink (patch-tun / int-br-X), where br-tun or the provider bridge translate the local VLAN.
 */
const T = IntTable;
const NET_REG = `reg${Reg.NET}`;

export const IntPriority = {
  UPLINK_IN: 3,
  PORT_IN: 10,
  LOCAL_MAC: 20,
  REMOTE_MAC: 10,
  FLOOD: 1,
} as const;

export function intBridgeFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const c = hostCookie(App.LOCAL_SWITCHING);
  const flows = [
    // Anything not classified below (unbound interfaces, stray frames from uplinks) is dropped.
    flow(c, `table=${T.LOCAL_SWITCHING},priority=0,actions=drop`),
    flow(c, `table=${T.TRANSIENT},priority=0,actions=goto_table:${T.ACCEPTED_EGRESS_TRAFFIC}`),
    flow(c, `table=${T.ACCEPTED_EGRESS_TRAFFIC},priority=0,actions=drop`),
  ];
  for (const net of hostNetworks(snap, host)) flows.push(...networkFlows(net));
  return flows;
}

function networkFlows(net: HostNetwork): DesiredFlow[] {
  const { network, lvid, uplink } = net;
  const netCookie = ownerCookie(App.LOCAL_SWITCHING, network.id);
  const toUplink = uplink ? `push_vlan:0x8100,set_field:${vlanVid(lvid)}->vlan_vid,output:${uplink.intOfport}` : undefined;
  const flows: DesiredFlow[] = [];

  if (uplink) flows.push(flow(netCookie, uplinkIngress(net, uplink)));
  for (const { port, ofport } of net.localPorts) {
    // The VM's frames enter untagged; its port alone says which network they belong to.
    const next = port.portSecurity ? T.ARP_SPOOF : T.TRANSIENT; // anti-spoofing first (port-security.ts)
    flows.push(flow(ownerCookie(App.LOCAL_SWITCHING, port.id),
      `table=${T.LOCAL_SWITCHING},priority=${IntPriority.PORT_IN},in_port=${ofport},actions=set_field:${lvid}->${NET_REG},goto_table:${next}`));
  }
  const ofportOf = new Map(net.localPorts.map((l) => [l.port.id, l.ofport]));
  for (const { port, mac } of networkMacs(net)) {
    const local = ofportOf.get(port.id);
    const cookie = ownerCookie(App.LOCAL_SWITCHING, port.id);
    const match = `table=${T.ACCEPTED_EGRESS_TRAFFIC},${NET_REG}=${lvid},dl_dst=${mac}`;
    if (local !== undefined) flows.push(flow(cookie, `${match},priority=${IntPriority.LOCAL_MAC},actions=output:${local}`));
    else if (toUplink) flows.push(flow(cookie, `${match},priority=${IntPriority.REMOTE_MAC},actions=${toUplink}`));
  }
  // Broadcast, multicast and unknown unicast: every local port of the network plus the uplink.
  // OVS never outputs to the ingress port, so one flow serves senders on both sides.
  const outputs = [...net.localPorts.map((l) => `output:${l.ofport}`), ...(toUplink ? [toUplink] : [])];
  flows.push(flow(netCookie, `table=${T.ACCEPTED_EGRESS_TRAFFIC},priority=${IntPriority.FLOOD},${NET_REG}=${lvid},actions=${outputs.join(',')}`));
  return flows;
}

/** Frames from the uplink carry the local VLAN (br-tun), the provider VLAN (vlan) or no tag (flat). */
function uplinkIngress(net: HostNetwork, uplink: Uplink): string {
  const head = `table=${T.LOCAL_SWITCHING},priority=${IntPriority.UPLINK_IN},in_port=${uplink.intOfport}`;
  const tail = `set_field:${net.lvid}->${NET_REG},goto_table:${T.ACCEPTED_EGRESS_TRAFFIC}`;
  if (uplink.kind === 'tunnel') return `${head},dl_vlan=${net.lvid},actions=pop_vlan,${tail}`;
  if (net.network.type === 'vlan') return `${head},dl_vlan=${net.network.segmentationId},actions=pop_vlan,${tail}`;
  return `${head},vlan_tci=0x0000/0x1fff,actions=${tail}`;
}

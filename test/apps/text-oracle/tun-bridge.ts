import { App, TunTable } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { TUN_BRIDGE, PATCH_INT, TUNNEL_PORT } from '../../../src/apps/bridge-ports.js';
import { hostCookie, ownerCookie } from '../../../src/apps/cookies.js';
import { flow, vlanVid } from '../../../src/apps/flow-text.js';
import { hostNetworks, type HostNetwork } from './network-view.js';
import { networkMacs } from './port-addresses.js';

/**
 * br-tun of one host: local VLAN <-> VNI over one flow-based VXLAN port, with static l2pop entries
 * (no learning): unicast goes to the host that has the MAC, floods only to hosts that have the network.
 */
const T = TunTable;

export function tunBridgeFlows(snap: TopologySnapshot, hostName: string): DesiredFlow[] {
  const ports = snap.hosts.get(hostName)?.ofports[TUN_BRIDGE] ?? {};
  const [patch, tun] = [ports[PATCH_INT], ports[TUNNEL_PORT]];
  if (!(patch > 0 && tun > 0)) return [];
  const c = hostCookie(App.TUNNEL);
  const flows = [
    flow(c, `table=${T.LOCAL_SWITCHING},priority=1,in_port=${patch},actions=goto_table:${T.PATCH_LV_TO_TUN}`),
    flow(c, `table=${T.LOCAL_SWITCHING},priority=0,actions=drop`),
    flow(c, `table=${T.PATCH_LV_TO_TUN},priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=goto_table:${T.UCAST_TO_TUN}`),
    flow(c, `table=${T.PATCH_LV_TO_TUN},priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=goto_table:${T.FLOOD_TO_TUN}`),
    // A VNI this host does not have is dropped on arrival.
    flow(c, `table=${T.VXLAN_TUN_TO_LV},priority=0,actions=drop`),
    flow(c, `table=${T.UCAST_TO_TUN},priority=0,actions=goto_table:${T.FLOOD_TO_TUN}`),
    flow(c, `table=${T.FLOOD_TO_TUN},priority=0,actions=drop`),
  ];
  // A flow-based port takes packets from any source: accept only known VTEPs (what one port per
  // remote host gave Neutron for free). Owned by the remote host, so a new host adds one flow here.
  for (const peer of snap.hosts.values()) {
    if (peer.name === hostName) continue;
    flows.push(flow(ownerCookie(App.TUNNEL, peer.name),
      `table=${T.LOCAL_SWITCHING},priority=1,in_port=${tun},tun_src=${peer.tunnelIp},actions=goto_table:${T.VXLAN_TUN_TO_LV}`));
  }
  for (const net of hostNetworks(snap, hostName)) {
    if (net.uplink?.kind === 'tunnel') flows.push(...networkFlows(snap, net, net.uplink.patchOfport, net.uplink.tunnelOfport));
  }
  return flows;
}

function networkFlows(snap: TopologySnapshot, net: HostNetwork, patch: number, tun: number): DesiredFlow[] {
  const { network, lvid } = net;
  const vni = network.segmentationId!;
  const netCookie = ownerCookie(App.TUNNEL, network.id);
  const toTunnel = (ip: string): string => `set_field:${ip}->tun_dst,output:${tun}`;
  const flows = [
    flow(netCookie, `table=${T.VXLAN_TUN_TO_LV},priority=1,tun_id=${vni},actions=push_vlan:0x8100,set_field:${vlanVid(lvid)}->vlan_vid,output:${patch}`),
  ];
  if (net.remoteHosts.length > 0) {
    const copies = net.remoteHosts.map((h) => toTunnel(h.tunnelIp)).join(',');
    flows.push(flow(netCookie, `table=${T.FLOOD_TO_TUN},priority=1,dl_vlan=${lvid},actions=pop_vlan,set_field:${vni}->tun_id,${copies}`));
  }
  const local = new Set(net.localPorts.map((l) => l.port.id));
  for (const { port, mac } of networkMacs(net)) {
    if (local.has(port.id)) continue;
    const remoteIp = snap.hosts.get(port.host!)!.tunnelIp;
    flows.push(flow(ownerCookie(App.TUNNEL, port.id),
      `table=${T.UCAST_TO_TUN},priority=2,dl_vlan=${lvid},dl_dst=${mac},actions=pop_vlan,set_field:${vni}->tun_id,${toTunnel(remoteIp)}`));
  }
  return flows;
}

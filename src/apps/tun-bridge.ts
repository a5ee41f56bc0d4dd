import { App, TunTable } from '../config/pipeline.js';
import type { Action } from '../openflow/actions/index.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { TUN_BRIDGE, PATCH_INT, TUNNEL_PORT } from './bridge-ports.js';
import { hostCookie, ownerCookie } from './cookies.js';
import { desired, dlVlan, ethDst, ethDstMasked, inPort, instructions, out, POP_VLAN, PUSH_VLAN, setTunDst, setTunId, setVlanVid, tunId, tunSrc } from './flow-build.js';
import { idPart, memo, ownerMemo } from './flow-memo.js';
import { hostNetworks, type HostNetwork } from './network-view.js';
import { networkMacs } from './port-addresses.js';

/**
 * br-tun of one host: local VLAN <-> VNI over one flow-based VXLAN port, with static l2pop entries
 * (no learning): unicast goes to the host that has the MAC, floods only to hosts that have the network.
 */
const T = TunTable;
const HOST_COOKIE = hostCookie(App.TUNNEL);
const MULTICAST_BIT = 0x01_00_00_00_00_00;

function hostDefaults(patch: number): readonly DesiredFlow[] {
  const c = HOST_COOKIE;
  return Object.freeze([
    desired(c, T.LOCAL_SWITCHING, 1, [inPort(patch)], instructions([], T.PATCH_LV_TO_TUN)),
    desired(c, T.LOCAL_SWITCHING, 0, [], []),
    desired(c, T.PATCH_LV_TO_TUN, 0, [ethDstMasked(0, MULTICAST_BIT)], instructions([], T.UCAST_TO_TUN)),
    desired(c, T.PATCH_LV_TO_TUN, 0, [ethDstMasked(MULTICAST_BIT, MULTICAST_BIT)], instructions([], T.FLOOD_TO_TUN)),
    // A VNI this host does not have is dropped on arrival.
    desired(c, T.VXLAN_TUN_TO_LV, 0, [], []),
    desired(c, T.UCAST_TO_TUN, 0, [], instructions([], T.FLOOD_TO_TUN)),
    desired(c, T.FLOOD_TO_TUN, 0, [], []),
  ]);
}

export function tunBridgeFlows(snap: TopologySnapshot, hostName: string): DesiredFlow[] {
  const ports = snap.hosts.get(hostName)?.ofports[TUN_BRIDGE] ?? {};
  const [patch, tun] = [ports[PATCH_INT], ports[TUNNEL_PORT]];
  if (!(patch > 0 && tun > 0)) return [];
  const flows = [...memo(`t.hd\0${patch}`, () => hostDefaults(patch))];
  // A flow-based port takes packets from any source: accept only known VTEPs (what one port per
  // remote host gave Neutron for free). Owned by the remote host, so a new host adds one flow here.
  for (const peer of snap.hosts.values()) {
    if (peer.name === hostName) continue;
    flows.push(memo(`t.vt\0${idPart(peer.name)}\0${tun}\0${peer.tunnelIp}`, () =>
      desired(ownerCookie(App.TUNNEL, peer.name), T.LOCAL_SWITCHING, 1, [inPort(tun), tunSrc(peer.tunnelIp)],
        instructions([], T.VXLAN_TUN_TO_LV))));
  }
  for (const net of hostNetworks(snap, hostName)) {
    if (net.uplink?.kind === 'tunnel') networkFlows(snap, net, net.uplink.patchOfport, net.uplink.tunnelOfport, flows);
  }
  return flows;
}

function networkFlows(snap: TopologySnapshot, net: HostNetwork, patch: number, tun: number, flows: DesiredFlow[]): void {
  const { network, lvid } = net;
  const vni = network.segmentationId!;
  const netId = idPart(network.id);
  const toTunnel = (ip: string): Action[] => [setTunDst(ip), out(tun)];
  flows.push(memo(`t.vn\0${netId}\0${vni}\0${lvid}\0${patch}`, () =>
    desired(ownerCookie(App.TUNNEL, network.id), T.VXLAN_TUN_TO_LV, 1, [tunId(vni)],
      instructions([PUSH_VLAN, setVlanVid(lvid), out(patch)]))));
  if (net.remoteHosts.length > 0) {
    const ips = net.remoteHosts.map((h) => h.tunnelIp);
    flows.push(memo(`t.fl\0${netId}\0${vni}\0${lvid}\0${tun}\0${ips.join(',')}`, () =>
      desired(ownerCookie(App.TUNNEL, network.id), T.FLOOD_TO_TUN, 1, [dlVlan(lvid)],
        instructions([POP_VLAN, setTunId(vni), ...ips.flatMap(toTunnel)]))));
  }
  const local = new Set(net.localPorts.map((l) => l.port.id));
  const unicast = ownerMemo<DesiredFlow>(`t.uc\0${vni}\0${lvid}\0${tun}`);
  for (const { port, mac } of networkMacs(net)) {
    if (local.has(port.id)) continue;
    const remoteIp = snap.hosts.get(port.host!)!.tunnelIp;
    flows.push(unicast.get(port.id, remoteIp, mac, () =>
      desired(ownerCookie(App.TUNNEL, port.id), T.UCAST_TO_TUN, 2, [ethDst(mac), dlVlan(lvid)],
        instructions([POP_VLAN, setTunId(vni), ...toTunnel(remoteIp)]))));
  }
}

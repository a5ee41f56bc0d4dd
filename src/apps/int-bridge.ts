import { App, IntTable, Reg } from '../config/pipeline.js';
import type { Action } from '../openflow/actions/index.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { hostCookie, ownerCookie } from './cookies.js';
import { desired, dlVlan, ethDst, inPort, instructions, out, POP_VLAN, PUSH_VLAN, reg, setReg, setVlanVid, untagged } from './flow-build.js';
import { idPart, memo, ownerMemo } from './flow-memo.js';
import { hostNetworks, type HostNetwork, type Uplink } from './network-view.js';
import { networkMacs } from './port-addresses.js';

/**
 * br-int of one host (pipeline table in README.md). Frames are untagged inside br-int and carry their
 * network's local VLAN in reg6 (as Neutron's OVS firewall does); they are tagged only on the way to an
 * uplink (patch-tun / int-br-X), where br-tun or the provider bridge translate the local VLAN.
 * Each flow is memoised on what it depends on (flow-memo.ts), so unchanged flows keep their objects.
 */
const T = IntTable;
const NET = Reg.NET;

export const IntPriority = {
  UPLINK_IN: 3,
  PORT_IN: 10,
  LOCAL_MAC: 20,
  REMOTE_MAC: 10,
  FLOOD: 1,
} as const;

const HOST_COOKIE = hostCookie(App.LOCAL_SWITCHING);
const HOST_DEFAULTS: readonly DesiredFlow[] = [
  // Anything not classified below (unbound interfaces, stray frames from uplinks) is dropped.
  desired(HOST_COOKIE, T.LOCAL_SWITCHING, 0, [], []),
  desired(HOST_COOKIE, T.TRANSIENT, 0, [], instructions([], T.ACCEPTED_EGRESS_TRAFFIC)),
  desired(HOST_COOKIE, T.ACCEPTED_EGRESS_TRAFFIC, 0, [], []),
];

export function intBridgeFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows = [...HOST_DEFAULTS];
  for (const net of hostNetworks(snap, host)) networkFlows(net, flows);
  return flows;
}

/** push lvid, output:uplink: how a frame leaves br-int towards the uplink. */
function toUplink(lvid: number, uplinkOfport: number): Action[] {
  return [PUSH_VLAN, setVlanVid(lvid), out(uplinkOfport)];
}

function networkFlows(net: HostNetwork, flows: DesiredFlow[]): void {
  const { network, lvid, uplink } = net;
  const netId = idPart(network.id);
  const up = uplink?.intOfport;

  if (uplink) flows.push(uplinkIngress(net, uplink));
  const classify = ownerMemo<DesiredFlow>(`i.in\0${lvid}`);
  for (const { port, ofport } of net.localPorts) {
    // The VM's frames enter untagged; its port alone says which network they belong to.
    // Ports with port security pass the anti-spoofing tables (24, 25) first; they lead on to 60.
    const next = port.portSecurity ? T.ARP_SPOOF : T.TRANSIENT;
    flows.push(classify.get(port.id, ofport, next, () =>
      desired(ownerCookie(App.LOCAL_SWITCHING, port.id), T.LOCAL_SWITCHING, IntPriority.PORT_IN,
        [inPort(ofport)], instructions([setReg(NET, lvid)], next))));
  }
  const ofportOf = new Map(net.localPorts.map((l) => [l.port.id, l.ofport]));
  const localMac = ownerMemo<DesiredFlow>(`i.ml\0${lvid}`);
  const remoteMac = ownerMemo<DesiredFlow>(`i.mr\0${lvid}\0${up ?? ''}`);
  for (const { port, mac } of networkMacs(net)) {
    const local = ofportOf.get(port.id);
    if (local !== undefined) {
      flows.push(localMac.get(port.id, local, mac, () =>
        desired(ownerCookie(App.LOCAL_SWITCHING, port.id), T.ACCEPTED_EGRESS_TRAFFIC, IntPriority.LOCAL_MAC,
          [ethDst(mac), reg(NET, lvid)], instructions([out(local)]))));
    } else if (up !== undefined) {
      flows.push(remoteMac.get(port.id, mac, '', () =>
        desired(ownerCookie(App.LOCAL_SWITCHING, port.id), T.ACCEPTED_EGRESS_TRAFFIC, IntPriority.REMOTE_MAC,
          [ethDst(mac), reg(NET, lvid)], instructions(toUplink(lvid, up)))));
    }
  }
  // Broadcast, multicast and unknown unicast: every local port of the network plus the uplink.
  // OVS never outputs to the ingress port, so one flow serves senders on both sides.
  const locals = net.localPorts.map((l) => l.ofport);
  flows.push(memo(`i.fl\0${netId}\0${lvid}\0${up ?? ''}\0${locals.join(',')}`, () =>
    desired(ownerCookie(App.LOCAL_SWITCHING, network.id), T.ACCEPTED_EGRESS_TRAFFIC, IntPriority.FLOOD,
      [reg(NET, lvid)], instructions([...locals.map(out), ...(up !== undefined ? toUplink(lvid, up) : [])]))));
}

/** Frames from the uplink carry the local VLAN (br-tun), the provider VLAN (vlan) or no tag (flat). */
function uplinkIngress(net: HostNetwork, uplink: Uplink): DesiredFlow {
  const { network, lvid } = net;
  const tag = uplink.kind === 'tunnel' ? lvid : network.type === 'vlan' ? network.segmentationId! : undefined;
  return memo(`i.up\0${idPart(network.id)}\0${lvid}\0${uplink.intOfport}\0${tag ?? ''}`, () =>
    desired(ownerCookie(App.LOCAL_SWITCHING, network.id), T.LOCAL_SWITCHING, IntPriority.UPLINK_IN,
      [inPort(uplink.intOfport), tag === undefined ? untagged : dlVlan(tag)],
      instructions([...(tag === undefined ? [] : [POP_VLAN]), setReg(NET, lvid)], T.ACCEPTED_EGRESS_TRAFFIC)));
}

import { App, IntTable, Reg } from '../config/pipeline.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { ownerCookie } from './cookies.js';
import {
  arpOp,
  arpTpa,
  desired,
  ethTypeArp,
  IN_PORT,
  inPort,
  instructions,
  MOVE_ARP_SHA_TO_THA,
  MOVE_ARP_SPA_TO_TPA,
  MOVE_ETH_SRC_TO_DST,
  reg,
  setArpOp,
  setArpSha,
  setArpSpa,
  setEthSrc,
} from './flow-build.js';
import { ownerMemo } from './flow-memo.js';
import { hostNetworks } from './network-view.js';
import { networkIps } from './port-addresses.js';

/**
 * ARP responder on br-int, table 60 (only frames from local VM ports pass there; uplink traffic goes
 * 0 -> 94). An ARP request for a known address of the network is turned into the reply in place and
 * sent back out of the VM's port, so it never reaches an uplink. On br-int rather than br-tun so it
 * covers every network type (vlan, flat and local too) and local destinations as well.
 */
const T = IntTable;

export const ArpPriority = {
  ANSWER: 20,
  /** The owner's own requests (gratuitous ARP, duplicate-address probes) must not be answered by us. */
  OWNER_BYPASS: 21,
} as const;

const ARP_REQUEST = 1;
const ARP_REPLY = 2;

export function arpResponderFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  const bypasses = ownerMemo<DesiredFlow>('a.by');
  for (const net of hostNetworks(snap, host)) {
    const { lvid } = net;
    const ofportOf = new Map(net.localPorts.map((l) => [l.port.id, l.ofport]));
    const answers = ownerMemo<DesiredFlow>(`a.an\0${lvid}`);
    for (const { port, ip, mac } of networkIps(net)) {
      // arp,arp_op=1,reg6=lvid,arp_tpa=IP -> the reply, built in place, back out of IN_PORT.
      flows.push(answers.get(port.id, ip, mac, () =>
        desired(ownerCookie(App.ARP_RESPONDER, port.id), T.TRANSIENT, ArpPriority.ANSWER,
          [ethTypeArp, arpOp(ARP_REQUEST), arpTpa(ip), reg(Reg.NET, lvid)],
          instructions([
            MOVE_ETH_SRC_TO_DST, setEthSrc(mac), setArpOp(ARP_REPLY),
            MOVE_ARP_SHA_TO_THA, MOVE_ARP_SPA_TO_TPA, setArpSha(mac), setArpSpa(ip), IN_PORT,
          ]))));
      const own = ofportOf.get(port.id);
      if (own !== undefined) {
        flows.push(bypasses.get(port.id, own, ip, () =>
          desired(ownerCookie(App.ARP_RESPONDER, port.id), T.TRANSIENT, ArpPriority.OWNER_BYPASS,
            [inPort(own), ethTypeArp, arpTpa(ip)], instructions([], T.ACCEPTED_EGRESS_TRAFFIC))));
      }
    }
  }
  return flows;
}

import { App, IntTable, Reg } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { ownerCookie } from '../../../src/apps/cookies.js';
import { flow } from '../../../src/apps/flow-text.js';
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

export function arpResponderFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  for (const net of hostNetworks(snap, host)) {
    const ofportOf = new Map(net.localPorts.map((l) => [l.port.id, l.ofport]));
    for (const { port, ip, mac } of networkIps(net)) {
      const cookie = ownerCookie(App.ARP_RESPONDER, port.id);
      flows.push(flow(cookie,
        `table=${T.TRANSIENT},priority=${ArpPriority.ANSWER},arp,arp_op=1,reg${Reg.NET}=${net.lvid},arp_tpa=${ip},actions=` +
        `move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:${mac}->eth_src,set_field:2->arp_op,` +
        `move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],` +
        `set_field:${mac}->arp_sha,set_field:${ip}->arp_spa,IN_PORT`));
      const own = ofportOf.get(port.id);
      if (own !== undefined) {
        flows.push(flow(cookie,
          `table=${T.TRANSIENT},priority=${ArpPriority.OWNER_BYPASS},arp,in_port=${own},arp_tpa=${ip},actions=goto_table:${T.ACCEPTED_EGRESS_TRAFFIC}`));
      }
    }
  }
  return flows;
}

import { App, IntTable } from '../config/pipeline.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { ownerCookie } from './cookies.js';
import { desired, inPort, instructions, TO_CONTROLLER, udp, udpDst, udpSrc } from './flow-build.js';
import { ownerMemo } from './flow-memo.js';
import { hostNetworks } from './network-view.js';

/**
 * Native DHCP, br-int table 0: a DHCP request (UDP 68 -> 67) from a local VM port whose address is on
 * a DHCP-enabled subnet goes to the controller, which answers it with a packet-out on that port
 * (src/controller/dhcp-service.ts). It never reaches the network, so no DHCP agent or port is needed
 * and no other host sees it. The flow's cookie names the port; the packet-in's in_port locates it.
 * The same port's DHCP server replies are dropped: on a network the controller serves, a VM answering
 * DHCP is a rogue server (what Neutron's firewall blocks as DHCP spoofing).
 */
export const DhcpPriority = {
  /** Above the port's classification (IntPriority.PORT_IN), which would send it on into the network. */
  TO_CONTROLLER: 12,
  /** Where the controller is the DHCP server, a VM's server replies (67 -> 68) are a rogue server's: dropped. */
  ROGUE_SERVER: 12,
} as const;

const CLIENT_PORT = 68;
const SERVER_PORT = 67;

export function dhcpInterceptFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  const pairs = ownerMemo<readonly DesiredFlow[]>('d');
  for (const net of hostNetworks(snap, host)) {
    for (const { port, ofport } of net.localPorts) {
      if (!port.dhcp) continue;
      flows.push(...pairs.get(port.id, ofport, '', () => {
        const cookie = ownerCookie(App.DHCP, port.id);
        return [
          desired(cookie, IntTable.LOCAL_SWITCHING, DhcpPriority.TO_CONTROLLER,
            [inPort(ofport), ...udp, udpSrc(CLIENT_PORT), udpDst(SERVER_PORT)], instructions([TO_CONTROLLER])),
          desired(cookie, IntTable.LOCAL_SWITCHING, DhcpPriority.ROGUE_SERVER,
            [inPort(ofport), ...udp, udpSrc(SERVER_PORT), udpDst(CLIENT_PORT)], []),
        ];
      }));
    }
  }
  return flows;
}

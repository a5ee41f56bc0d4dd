import { App, IntTable } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { ownerCookie } from '../../../src/apps/cookies.js';
import { flow } from '../../../src/apps/flow-text.js';
import { hostNetworks } from './network-view.js';

/** Text form of src/apps/dhcp-intercept.ts: a DHCP-enabled port's requests go to the controller, its server replies nowhere. */
export function dhcpInterceptFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  for (const net of hostNetworks(snap, host)) {
    for (const { port, ofport } of net.localPorts) {
      if (!port.dhcp) continue;
      flows.push(flow(ownerCookie(App.DHCP, port.id),
        `table=${IntTable.LOCAL_SWITCHING},priority=12,udp,in_port=${ofport},tp_src=68,tp_dst=67,actions=CONTROLLER:65535`));
      flows.push(flow(ownerCookie(App.DHCP, port.id),
        `table=${IntTable.LOCAL_SWITCHING},priority=12,udp,in_port=${ofport},tp_src=67,tp_dst=68,actions=drop`));
    }
  }
  return flows;
}

import type { DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';
import { arpResponderFlows } from './arp-responder.js';
import { INT_BRIDGE, TUN_BRIDGE } from './bridge-ports.js';
import { dhcpInterceptFlows } from './dhcp-intercept.js';
import { portSecurityFlows } from './port-security.js';
import { intBridgeFlows } from './int-bridge.js';
import { physBridgeFlows } from './phys-bridge.js';
import { tunBridgeFlows } from './tun-bridge.js';

/** Every L2 flow of one host, per bridge name (br-int, br-tun, provider bridges). Pure. */
export function l2HostFlows(snap: TopologySnapshot, host: string): Map<string, DesiredFlow[]> {
  const out = new Map<string, DesiredFlow[]>([
    [INT_BRIDGE, [...intBridgeFlows(snap, host), ...arpResponderFlows(snap, host), ...dhcpInterceptFlows(snap, host), ...portSecurityFlows(snap, host)]],
    [TUN_BRIDGE, tunBridgeFlows(snap, host)],
  ]);
  for (const [bridge, flows] of physBridgeFlows(snap, host)) out.set(bridge, flows);
  return out;
}

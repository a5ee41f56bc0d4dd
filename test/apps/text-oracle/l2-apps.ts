import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { arpResponderFlows } from './arp-responder.js';
import { dhcpInterceptFlows } from './dhcp-intercept.js';
import { portSecurityFlows } from './port-security.js';
import { INT_BRIDGE, TUN_BRIDGE } from '../../../src/apps/bridge-ports.js';
import { intBridgeFlows } from './int-bridge.js';
import { physBridgeFlows } from './phys-bridge.js';
import { tunBridgeFlows } from './tun-bridge.js';

/**
 * The test oracle: the L2 apps as they were before they built flows with typed builders, writing every
 * flow as ovs-ofctl text and parsing it back (src/apps/flow-text.ts `flow`). Files in this directory are
 * that version, unchanged but for imports; test/apps/flow-build.test.ts checks that src/apps produces
 * exactly these flows (same order, same encoded bytes). Do not "fix" them without fixing src/apps too.
 * dhcp-intercept.ts and port-security.ts came later, written in text first like the others (and int-bridge.ts
 * learnt to send port-security ports to table 24).
 */
export function l2HostFlows(snap: TopologySnapshot, host: string): Map<string, DesiredFlow[]> {
  const out = new Map<string, DesiredFlow[]>([
    [INT_BRIDGE, [...intBridgeFlows(snap, host), ...arpResponderFlows(snap, host), ...dhcpInterceptFlows(snap, host), ...portSecurityFlows(snap, host)]],
    [TUN_BRIDGE, tunBridgeFlows(snap, host)],
  ]);
  for (const [bridge, flows] of physBridgeFlows(snap, host)) out.set(bridge, flows);
  return out;
}

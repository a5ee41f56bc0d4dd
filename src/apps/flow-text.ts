import { desiredFromFlowMod, type DesiredFlow } from '../reconciler/desired-flow.js';
import { formatFlowLine, parseFlow } from '../openflow/text/flow.js';

/**
 * Apps write flows in ovs-ofctl syntax (so they read like Neutron's docs and the README tables) and the
 * codec turns them into structured DesiredFlows. `text` is `table=..,priority=..,<match>,actions=...`
 * with numeric ports.
 */
export function flow(cookie: bigint, text: string): DesiredFlow {
  return desiredFromFlowMod(parseFlow(`cookie=0x${cookie.toString(16)},${text}`, { command: 'add' }));
}

/** The `ovs-ofctl add-flows` line of a desired flow (dump-flows syntax, which add-flows reads back). */
export function flowToText(f: DesiredFlow): string {
  return formatFlowLine({ ...f, idleTimeout: f.idleTimeout ?? 0, hardTimeout: f.hardTimeout ?? 0 }, { stats: false }).trim();
}

/** OpenFlow 1.3 vlan_vid value of a tagged frame (OFPVID_PRESENT | vid). */
export function vlanVid(vid: number): number {
  return 0x1000 | vid;
}

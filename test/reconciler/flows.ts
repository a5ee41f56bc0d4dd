import { MatchBuilder, type Match } from '../../src/openflow/oxm/index.js';
import type { FlowStats } from '../../src/openflow/messages/index.js';
import { App, makeCookie } from '../../src/config/pipeline.js';
import type { DesiredFlow } from '../../src/reconciler/desired-flow.js';

/** A match from ovs-ofctl key=value pairs, encoded the way OVS itself encodes it in OF1.3. */
function match(fields: Record<string, string>): Match {
  const b = new MatchBuilder();
  for (const [k, v] of Object.entries(fields)) b.add(k, v);
  return b.build();
}

/** Flow i of a synthetic table: in_port + dl_dst + reg5, output to a port; all identities distinct. */
export function syntheticFlow(i: number, outPort = 2): DesiredFlow {
  const mac = (0x020000000000 + i).toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
  return {
    tableId: i % 3 === 0 ? 0 : 60,
    priority: 100 + (i % 7),
    match: match({ in_port: String((i % 4000) + 1), dl_dst: mac, reg5: `${i & 0xffff}/0xffff` }),
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: outPort, maxLen: 0 }] }],
    cookie: makeCookie(App.RECONCILER_TEST, i),
  };
}

/** What a switch would report in a flow dump for a desired flow (fields possibly in another order). */
export function asFlowStats(f: DesiredFlow, reorder = false): FlowStats {
  return {
    tableId: f.tableId,
    durationSec: 5,
    durationNsec: 0,
    priority: f.priority,
    idleTimeout: f.idleTimeout ?? 0,
    hardTimeout: f.hardTimeout ?? 0,
    flags: f.flags ?? 0,
    cookie: f.cookie,
    packetCount: 12n,
    byteCount: 3400n,
    match: reorder ? [...f.match].reverse() : f.match,
    instructions: f.instructions,
  };
}

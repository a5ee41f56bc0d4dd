import { decodeMessage, type FlowStats, type MultipartReply } from '../openflow/messages/index.js';
import { formatFlowLine } from '../openflow/text/flow.js';
import type { SwitchSession } from '../switch/session.js';
import type { DesiredFlow } from './desired-flow.js';
import { diffFlows } from './diff.js';
import { flowStatsIdentities, type FlowIdentity } from './flow-key.js';
import type { Reconciler } from './reconciler.js';

/** A bridge's flows as `ovs-ofctl -O OpenFlow13 --no-stats dump-flows` lines. */
export interface FlowInspection {
  bridge: string;
  desired: string[];
  /** Empty when the bridge is not connected. */
  installed: string[];
  /**
   * What a reconcile would change: `+ line` to add, `- line` to delete, and for a modified flow
   * its installed line as `- ` followed by its desired line as `+ `.
   */
  diff: string[];
  connected: boolean;
}

interface Line {
  tableId: number;
  priority: number;
  text: string;
}

/** Desired, installed (fresh dump) and their diff for one bridge; for the CLI's `flows` subcommand. */
export async function inspectFlows(rec: Reconciler, bridge: string, session: SwitchSession | undefined): Promise<FlowInspection> {
  const desiredEntries = rec.desired(bridge);
  const desired = desiredEntries.map((e) => desiredLine(e.flow));
  if (!session || session.isClosed) {
    return { bridge, desired: sortedText(desired), installed: [], diff: sortedText(desired).map((l) => `+${l}`), connected: false };
  }
  const frames = await rec.dumpFrames(session);
  const ids = flowStatsIdentities(frames);
  const stats = frames.flatMap((f) => {
    const reply = decodeMessage(f) as MultipartReply;
    return reply.body.kind === 'flow' ? reply.body.flows : [];
  });
  const installedLine = new Map<string, Line>();
  ids.forEach((id, i) => installedLine.set(id.key, statsLine(stats[i])));
  const d = diffFlows(new Map(desiredEntries.map((e) => [e.id.key, e])), new Map(ids.map((id: FlowIdentity) => [id.key, id])), rec.mayDelete);
  const diff: Line[] = [];
  for (const e of d.add) diff.push(prefixed('+', desiredLine(e.flow)));
  for (const e of d.modify) diff.push(prefixed('-', installedLine.get(e.id.key)!), prefixed('+', desiredLine(e.flow)));
  for (const f of d.remove) diff.push(prefixed('-', installedLine.get(f.key)!));
  return { bridge, desired: sortedText(desired), installed: sortedText([...installedLine.values()]), diff: diff.map((l) => l.text), connected: true };
}

function desiredLine(f: DesiredFlow): Line {
  const text = formatFlowLine({ ...f, idleTimeout: f.idleTimeout ?? 0, hardTimeout: f.hardTimeout ?? 0 }, { stats: false });
  return { tableId: f.tableId, priority: f.priority, text };
}

function statsLine(f: FlowStats): Line {
  return { tableId: f.tableId, priority: f.priority, text: formatFlowLine(f, { stats: false }) };
}

function prefixed(sign: string, l: Line): Line {
  return { ...l, text: sign + l.text };
}

/** Table ascending, then priority descending (lookup order), then text. */
function sortedText(lines: Line[]): string[] {
  return [...lines]
    .sort((a, b) => a.tableId - b.tableId || b.priority - a.priority || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((l) => l.text);
}

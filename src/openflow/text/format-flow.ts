import { formatMatch, type Match } from '../oxm/index.js';
import { formatInstructions, type Instruction } from '../actions/index.js';
import type { FlowMod } from '../messages/index.js';
import { FLOW_COMMAND_TEXT, FLOW_FLAG_WORDS } from './flow-constants.js';
import { formatPortNumber } from './flow-numbers.js';

const OFP_DEFAULT_PRIORITY = 0x8000;
const OFP_NO_BUFFER = 0xffffffff;
const OFPP_ANY = 0xffffffff;
const COOKIE_ALL_ONES = 0xffffffffffffffffn;
const OFP12_VERSION = 3;
const OFP14_VERSION = 5;

/**
 * The text `ovs-ofctl -O OpenFlow13 parse-flow` / `ofp-print` prints for a FLOW_MOD after
 * "OFPT_FLOW_MOD (OF1.3) (xid=0x1): ", e.g. `ADD table:7 priority=10,ip actions=goto_table:30`.
 */
export function formatFlowMod(fm: FlowMod): string {
  const isAdd = fm.command === 0;
  let s = FLOW_COMMAND_TEXT[fm.command] ?? `cmd:${fm.command}`;
  if (fm.tableId !== 0) s += ` table:${fm.tableId}`;
  s += ' ' + matchText(fm.priority, fm.match);
  if (!s.endsWith(' ')) s += ' ';
  // An add sets the cookie (all-ones means "leave it" to OVS); other commands match it under the mask.
  if (isAdd && fm.cookie !== 0n && fm.cookie !== COOKIE_ALL_ONES) s += `cookie:${hex(fm.cookie)} `;
  if (!isAdd && fm.cookieMask !== 0n) s += `cookie:${hex(fm.cookie)}/${hex(fm.cookieMask)} `;
  if (fm.idleTimeout) s += `idle:${fm.idleTimeout} `;
  if (fm.hardTimeout) s += `hard:${fm.hardTimeout} `;
  if (fm.version >= OFP14_VERSION && isAdd && fm.importance) s += `importance:${fm.importance} `;
  if (fm.bufferId !== OFP_NO_BUFFER) s += `buf:${hex(fm.bufferId)} `;
  if (fm.outPort !== OFPP_ANY) s += `out_port:${formatPortNumber(fm.outPort)} `;
  // OF1.0/1.1 have no reset_counts flag on the wire, so OVS never prints it for them.
  s += flagWords(fm.version < OFP12_VERSION ? fm.flags & ~4 : fm.flags);
  return s + 'actions=' + actionsText(fm.instructions);
}

/** A flow as `ovs-ofctl dump-flows` sees it: a flow-stats entry, or a FlowMod-like desired flow. */
export interface FlowLineInput {
  cookie: bigint;
  tableId: number;
  priority: number;
  match: Match;
  instructions: Instruction[];
  idleTimeout: number;
  hardTimeout: number;
  flags?: number;
  importance?: number;
  durationSec?: number;
  durationNsec?: number;
  packetCount?: bigint;
  byteCount?: bigint;
}

/**
 * One line of `ovs-ofctl -O OpenFlow13 dump-flows BR`, leading space included:
 * ` cookie=0x0, duration=1.234s, table=0, n_packets=0, n_bytes=0, priority=10,ip actions=drop`,
 * or with `stats: false` what `--no-stats` prints: ` priority=10,ip actions=drop`.
 */
export function formatFlowLine(flow: FlowLineInput, opts: { stats: boolean }): string {
  const { stats } = opts;
  let s = ' ';
  if (stats || flow.cookie !== 0n) s += `cookie=${hex(flow.cookie)}, `;
  if (stats) s += `duration=${formatDuration(flow.durationSec ?? 0, flow.durationNsec ?? 0)}, `;
  if (stats || flow.tableId !== 0) s += `table=${flow.tableId}, `;
  if (stats) s += `n_packets=${flow.packetCount ?? 0n}, n_bytes=${flow.byteCount ?? 0n}, `;
  if (flow.idleTimeout) s += `idle_timeout=${flow.idleTimeout}, `;
  if (flow.hardTimeout) s += `hard_timeout=${flow.hardTimeout}, `;
  s += flagWords(flow.flags ?? 0);
  if (flow.importance) s += `importance=${flow.importance}, `;
  const match = matchText(flow.priority, flow.match);
  if (match) s += match + ' ';
  return s + 'actions=' + actionsText(flow.instructions);
}

/** OVS's match_format with a priority: `priority=N,` first unless it is the default. */
function matchText(priority: number, match: Match): string {
  const fields = formatMatch(match);
  if (priority === OFP_DEFAULT_PRIORITY) return fields;
  return fields ? `priority=${priority},${fields}` : `priority=${priority}`;
}

function actionsText(instructions: Instruction[]): string {
  return instructions.length === 0 ? 'drop' : formatInstructions(instructions);
}

function flagWords(flags: number): string {
  let s = '';
  for (const [bit, word] of FLOW_FLAG_WORDS) if (flags & bit) s += word + ' ';
  return s;
}

/** Seconds, then 3 decimals when the fraction is whole milliseconds, else as many as needed. */
export function formatDuration(sec: number, nsec: number): string {
  let s = String(sec);
  if (nsec > 0) {
    s += nsec % 1_000_000 === 0 ? '.' + String(nsec / 1_000_000).padStart(3, '0') : '.' + String(nsec).padStart(9, '0').replace(/0+$/, '');
  }
  return s + 's';
}

function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}

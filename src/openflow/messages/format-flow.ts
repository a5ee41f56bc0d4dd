import { formatMatch } from '../oxm/index.js';
import { formatInstructions } from '../actions/index.js';
import {
  OFP14_VERSION,
  OFPFF_CHECK_OVERLAP,
  OFPFF_NO_BYT_COUNTS,
  OFPFF_NO_PKT_COUNTS,
  OFPFF_RESET_COUNTS,
  OFPFF_SEND_FLOW_REM,
  OFPP_ANY,
  OFP_NO_BUFFER,
} from './constants.js';
import { formatPort } from './format-port.js';
import { duration } from './format-stats.js';
import type { FlowMod, FlowRemoved } from './types.js';

/** ovs-ofctl text of FLOW_MOD, FLOW_REMOVED and the first line of packet-ins. */

const DEFAULT_PRIORITY = 0x8000;

export function matchWithPriority(priority: number, match: FlowMod['match']): string {
  const m = match.length ? formatMatch(match) : '';
  if (priority === DEFAULT_PRIORITY) return m;
  return m ? `priority=${priority},${m}` : `priority=${priority}`;
}

const FLOW_MOD_COMMANDS = ['ADD', 'MOD', 'MOD_STRICT', 'DEL', 'DEL_STRICT'];

export function formatFlowMod(m: FlowMod): string {
  let s = ` ${FLOW_MOD_COMMANDS[m.command] ?? `cmd:${m.command}`}`;
  if (m.tableId !== 0) s += ` table:${m.tableId}`;
  s += ' ';
  const match = matchWithPriority(m.priority, m.match);
  if (match) s += `${match} `;
  // OVS reads an ADD's cookie as the new cookie (mask ignored); other commands match on cookie/mask.
  if (m.command === 0) {
    if (m.cookie !== 0n) s += `cookie:0x${m.cookie.toString(16)} `;
  } else if (m.cookieMask !== 0n) {
    s += `cookie:0x${m.cookie.toString(16)}/0x${m.cookieMask.toString(16)} `;
  }
  if (m.idleTimeout) s += `idle:${m.idleTimeout} `;
  if (m.hardTimeout) s += `hard:${m.hardTimeout} `;
  if (m.bufferId !== OFP_NO_BUFFER) s += `buf:0x${m.bufferId.toString(16)} `;
  if (m.outPort !== OFPP_ANY) s += `out_port:${formatPort(m.outPort)} `;
  s += flowModFlags(m.flags);
  if (m.importance && m.version >= OFP14_VERSION) s += `importance:${m.importance} `;
  s += `actions=${m.instructions.length ? formatInstructions(m.instructions) : 'drop'}`;
  return s;
}

/** Each set flag followed by a space, as OVS prints them in flow mods and flow stats. */
export function flowModFlags(flags: number): string {
  let s = '';
  if (flags & OFPFF_SEND_FLOW_REM) s += 'send_flow_rem ';
  if (flags & OFPFF_CHECK_OVERLAP) s += 'check_overlap ';
  if (flags & OFPFF_RESET_COUNTS) s += 'reset_counts ';
  if (flags & OFPFF_NO_PKT_COUNTS) s += 'no_packet_counts ';
  if (flags & OFPFF_NO_BYT_COUNTS) s += 'no_byte_counts ';
  return s;
}

export function formatFlowRemoved(msg: FlowRemoved): string {
  return (
        ` ${matchWithPriority(msg.priority, msg.match)} reason=${['idle', 'hard', 'delete', 'group_delete', 'meter_delete', 'eviction'][msg.reason] ?? msg.reason}` +
        ` table_id=${msg.tableId}${msg.cookie ? ` cookie:0x${msg.cookie.toString(16)}` : ''}` +
        ` duration${duration(msg.durationSec, msg.durationNsec)}` +
        ` idle${msg.idleTimeout}${msg.hardTimeout ? ` hard${msg.hardTimeout}` : ''}` +
        ` pkts${msg.packetCount} bytes${msg.byteCount}`);
}

const PACKET_IN_REASONS = ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out'];

/**
 * First line of OVS's packet-in text (the frame itself goes on the next line, see packetSummary). An absent or
 * all-ones cookie is not printed; a total_len that disagrees with the data is flagged the way OVS flags it.
 */
export function packetInLine(tableId: number, cookie: bigint | undefined, totalLen: number, match: FlowMod['match'], reason: number, dataLen: number, bufferId: number): string {
  const unbuffered = bufferId === OFP_NO_BUFFER;
  return (
    `${tableId ? ` table_id=${tableId}` : ''}${cookie === undefined || cookie === ALL_ONES_64 ? '' : ` cookie=0x${cookie.toString(16)}`}` +
    ` total_len=${totalLen} ${formatMatch(match)} (via ${PACKET_IN_REASONS[reason] ?? reason}) data_len=${dataLen}` +
    (unbuffered ? ' (unbuffered)' : ` buffer=0x${bufferId.toString(16).padStart(8, '0')}`) +
    (unbuffered && totalLen !== dataLen ? ' (***total_len != data_len***)' : '') +
    (!unbuffered && totalLen < dataLen ? ' (***total_len < data_len***)' : '')
  );
}

const ALL_ONES_64 = 0xffffffffffffffffn;

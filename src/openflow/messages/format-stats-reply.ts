import { formatInstructions } from '../actions/index.js';
import { duration, formatGroup, formatMeter } from './format-stats.js';
import { flowModFlags, matchWithPriority } from './format-flow.js';
import { bitNames, formatOfPort, formatPort } from './format-port.js';
import type { FlowStats, MultipartReply, MultipartReplyBody, PortStats, QueueStats, TableStats } from './types.js';

/** ovs-ofctl text of the multipart (OFPST_*) replies. */

export function formatMultipartReply(m: MultipartReply): string {
  const flags = m.flags ? ` flags=${m.flags & 1 ? '[more]' : `0x${m.flags.toString(16)}`}` : '';
  return flags + formatReplyBody(m.body);
}

function formatReplyBody(b: MultipartReplyBody): string {
  switch (b.kind) {
    case 'desc':
      return `\nManufacturer: ${b.mfrDesc}\nHardware: ${b.hwDesc}\nSoftware: ${b.swDesc}\nSerial Num: ${b.serialNum}\nDP Description: ${b.dpDesc}`;
    case 'flow':
      return b.flows.map((f) => `\n${formatFlowStats(f)}`).join('');
    case 'aggregate':
      return ` packet_count=${b.packetCount} byte_count=${b.byteCount} flow_count=${b.flowCount}`;
    case 'table':
      return formatTableStats(b.tables);
    case 'port_stats':
      return ` ${b.ports.length} ports${b.ports.map(formatPortStats).join('')}`;
    case 'queue':
      return ` ${b.queues.length} queues${b.queues.map(formatQueueStats).join('')}`;
    case 'port_desc':
      return b.ports.map((p) => `\n${formatOfPort(p, formatPort(p.portNo))}`).join('');
    case 'group_desc':
      return b.groups.map((g) => `\n ${formatGroup(g.groupId, g.groupType, g.buckets)}`).join('');
    case 'group':
      return b.groups
        .map(
          (g) =>
            `\n group_id=${g.groupId},duration=${duration(g.durationSec, g.durationNsec)},ref_count=${g.refCount},packet_count=${g.packetCount},byte_count=${g.byteCount}` +
            g.bucketStats.map((c, i) => `,bucket${i}:packet_count=${c.packetCount},byte_count=${c.byteCount}`).join(''),
        )
        .join('');
    case 'meter':
      return b.meters
        .map(
          (s) =>
            `\nmeter:${s.meterId} flow_count:${s.flowCount} packet_in_count:${s.packetInCount} byte_in_count:${s.byteInCount} duration:${duration(s.durationSec, s.durationNsec)} bands:` +
            s.bandStats.map((c, i) => `\n${i}: packet_count:${c.packetBandCount} byte_count:${c.byteBandCount}`).join(''),
        )
        .join('');
    case 'meter_config':
      return b.meters.map((c) => `\n${formatMeter(c.meterId, c.flags, c.bands)}`).join('');
    case 'meter_features':
      return (
        `\nmax_meter:${b.maxMeter} max_bands:${b.maxBands} max_color:${b.maxColor}` +
        `\nband_types: ${bitNames(b.bandTypes, BAND_TYPE_BITS, '')}` +
        `\ncapabilities: ${bitNames(b.capabilities, METER_CAPABILITY_BITS, '')}`
      );
    default:
      // GROUP_FEATURES, TABLE_FEATURES and raw bodies: first line only.
      return '';
  }
}

/** One `dump-flows` line. */
function formatFlowStats(f: FlowStats): string {
  let s = ` cookie=0x${f.cookie.toString(16)}, duration=${duration(f.durationSec, f.durationNsec)}, table=${f.tableId}, n_packets=${f.packetCount}, n_bytes=${f.byteCount}, `;
  if (f.idleTimeout) s += `idle_timeout=${f.idleTimeout}, `;
  if (f.hardTimeout) s += `hard_timeout=${f.hardTimeout}, `;
  s += flowModFlags(f.flags);
  const match = matchWithPriority(f.priority, f.match);
  if (match) s += `${match} `;
  return `${s}actions=${f.instructions.length ? formatInstructions(f.instructions) : 'drop'}`;
}

/** OVS collapses runs of tables whose counters equal the previous table's into "ditto". */
function formatTableStats(tables: TableStats[]): string {
  const blocks: string[] = [];
  const same = (a: TableStats, b: TableStats) => a.activeCount === b.activeCount && a.lookupCount === b.lookupCount && a.matchedCount === b.matchedCount;
  for (let i = 0; i < tables.length; ) {
    const t = tables[i];
    blocks.push(`  table ${t.tableId}:\n    active=${t.activeCount}, lookup=${t.lookupCount}, matched=${t.matchedCount}`);
    let j = i + 1;
    while (j < tables.length && same(tables[j], t)) j++;
    if (j - i === 2) blocks.push(`  table ${tables[i + 1].tableId}: ditto`);
    else if (j - i > 2) blocks.push(`  tables ${tables[i + 1].tableId}...${tables[j - 1].tableId}: ditto`);
    i = j;
  }
  return blocks.length ? `\n${blocks.join('\n\n')}` : '';
}

const UNKNOWN_64 = 0xffffffffffffffffn;

/** OVS prints all-ones counters (not supported by the switch) as "?". */
function count(v: bigint): string {
  return v === UNKNOWN_64 ? '?' : String(v);
}

function formatPortStats(p: PortStats): string {
  const name = p.portNo < 10 ? ` ${p.portNo}` : formatPort(p.portNo);
  return (
    `\n  port ${name}: rx pkts=${count(p.rxPackets)}, bytes=${count(p.rxBytes)}, drop=${count(p.rxDropped)}, errs=${count(p.rxErrors)}, frame=${count(p.rxFrameErr)}, over=${count(p.rxOverErr)}, crc=${count(p.rxCrcErr)}` +
    `\n           tx pkts=${count(p.txPackets)}, bytes=${count(p.txBytes)}, drop=${count(p.txDropped)}, errs=${count(p.txErrors)}, coll=${count(p.collisions)}` +
    (p.durationSec === 0xffffffff ? '' : `\n           duration=${duration(p.durationSec, p.durationNsec)}`)
  );
}

function formatQueueStats(q: QueueStats): string {
  const dur = q.durationSec === 0xffffffff ? '?' : duration(q.durationSec, q.durationNsec);
  return `\n  port ${formatPort(q.portNo)} queue ${q.queueId}: bytes=${count(q.txBytes)}, pkts=${count(q.txPackets)}, errors=${count(q.txErrors)}, duration=${dur}`;
}

const BAND_TYPE_BITS: Array<[number, string]> = [
  [1 << 1, 'drop'],
  [1 << 2, 'dscp_remark'],
];
const METER_CAPABILITY_BITS: Array<[number, string]> = [
  [1 << 0, 'kbps'],
  [1 << 1, 'pktps'],
  [1 << 2, 'burst'],
  [1 << 3, 'stats'],
];

import { formatMatch } from '../oxm/index.js';
import { formatActions } from '../actions/index.js';
import { GroupType, OFPG_ANY, OFPP_ANY, OFPTT_ALL } from './constants.js';
import { formatPort } from './format-port.js';
import type { Bucket, GroupMod, MeterBand, MultipartRequest } from './types.js';

/** ovs-ofctl text of GROUP_MOD, METER_MOD and the multipart requests. */

const GROUP_TYPE_NAMES: Record<number, string> = {
  [GroupType.All]: 'all',
  [GroupType.Select]: 'select',
  [GroupType.Indirect]: 'indirect',
  [GroupType.FastFailover]: 'ff',
};

export function formatGroupMod(m: GroupMod): string {
  const cmd = ['ADD', 'MOD', 'DEL'][m.command] ?? `cmd:${m.command}`;
  return `\n ${cmd} ${formatGroup(m.groupId, m.groupType, m.buckets)}`;
}

export function formatGroup(groupId: number, groupType: number, buckets: Bucket[]): string {
  let s = `group_id=${groupId},type=${GROUP_TYPE_NAMES[groupType] ?? `${groupType}`}`;
  for (const b of buckets) {
    s += ',bucket=';
    if (groupType === GroupType.Select && b.weight !== 1) s += `weight:${b.weight},`;
    if (b.watchPort !== OFPP_ANY) s += `watch_port:${formatPort(b.watchPort)},`;
    if (b.watchGroup !== OFPG_ANY) s += `watch_group:${b.watchGroup},`;
    s += `actions=${b.actions.length ? formatActions(b.actions) : 'drop'}`;
  }
  return s;
}

/** Like OVS: nanoseconds without trailing zeros, none at all when zero. */
export function duration(sec: number, nsec: number): string {
  return nsec ? `${sec}.${String(nsec).padStart(9, '0').replace(/0+$/, '')}s` : `${sec}s`;
}

export function formatMeterMod(command: number, meterId: number, flags: number, bands: MeterBand[]): string {
  return ` ${['ADD', 'MOD', 'DEL'][command] ?? `cmd:${command}`} ${formatMeter(meterId, flags, bands)}`;
}

export function formatMeter(meterId: number, flags: number, bands: MeterBand[]): string {
  let s = `meter=${meterId}`;
  if (flags & 1) s += ' kbps';
  if (flags & 2) s += ' pktps';
  if (flags & 4) s += ' burst';
  if (flags & 8) s += ' stats';
  s += ' bands=';
  for (const b of bands) {
    s += `\ntype=${b.type === 1 ? 'drop' : b.type === 2 ? 'dscp_remark' : 'experimenter'} rate=${b.rate}`;
    s += ` burst_size=${b.burstSize}`;
    if (b.type === 2) s += ` prec_level=${b.precLevel}`;
  }
  return s;
}

export function formatMultipartRequest(m: MultipartRequest): string {
  const flags = m.flags ? ` flags=${m.flags & 1 ? '[more]' : `0x${m.flags.toString(16)}`}` : '';
  const b = m.body;
  switch (b.kind) {
    case 'port_desc':
      return `${flags} port=ANY`;
    case 'group_desc':
      return `${flags} group_id=ALL`;
    case 'queue':
      return `${flags} port=${formatPort(b.portNo)} queue=${b.queueId === 0xffffffff ? 'ALL' : b.queueId}`;
    case 'flow':
    case 'aggregate': {
      let s = flags;
      if (b.tableId !== OFPTT_ALL) s += ` table=${b.tableId}`;
      if (b.outPort !== OFPP_ANY) s += ` out_port=${formatPort(b.outPort)}`;
      return b.match.length ? `${s} ${formatMatch(b.match)}` : s;
    }
    case 'port_stats':
      return `${flags} port_no=${formatPort(b.portNo)}`;
    case 'group':
      return `${flags} group_id=${b.groupId === 0xfffffffc ? 'ALL' : b.groupId}`;
    case 'meter':
    case 'meter_config':
      return `${flags} meter=${b.meterId === 0xffffffff ? 'all' : b.meterId}`;
    default:
      return flags;
  }
}

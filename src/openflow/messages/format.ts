import { formatActions } from '../actions/index.js';
import {
  ControllerRole,
  MultipartType,
  NX_VENDOR_ID,
  OFP14_VERSION,
  OFPTT_ALL,
  OFP_NO_BUFFER,
  VERSION_NAMES,
} from './constants.js';
import { errorName } from './error-names.js';
import { multipartRequestType } from './multipart-request.js';
import { multipartReplyType } from './multipart-reply.js';
import { failedRequest } from './error-request.js';
import { helloVersions } from './negotiate.js';
import { formatAsync, formatOfPort, formatPort, formatPortMod } from './format-port.js';
import { packetSummary } from '../text/packet-summary.js';
import { formatFlowMod, formatFlowRemoved, packetInLine } from './format-flow.js';
import { formatGroupMod, formatMeterMod, formatMultipartRequest } from './format-stats.js';
import { formatMultipartReply } from './format-stats-reply.js';
import type {
  BundleControl,
  ErrorMsg,
  MultipartReply,
  MultipartRequest,
  OfMessage,
} from './types.js';

/**
 * `ovs-ofctl ofp-print` style text of a message: exact for the control messages, FLOW_MOD,
 * FLOW_REMOVED, GROUP_MOD, ERROR, bundles, PACKET_IN / NXT_PACKET_IN2 / PACKET_OUT (with the line describing
 * the frame); a faithful summary (same first line) for the rest.
 */
export function formatMessage(msg: OfMessage): string {
  return `${messageName(msg)} (${versionName(msg.version)}) (xid=0x${msg.xid.toString(16)}):${formatBody(msg)}`;
}

function versionName(v: number): string {
  return VERSION_NAMES[v] ?? `OF 0x${v.toString(16).padStart(2, '0')}`;
}

const MP_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(MultipartType).map(([k, v]) => [v, `OFPST_${k === 'PORT_STATS' ? 'PORT' : k}`]),
);

export function messageName(msg: OfMessage): string {
  switch (msg.type) {
    case 'multipart_request':
      return `${MP_NAMES[mpTypeOf(msg)] ?? 'OFPST_???'} request`;
    case 'multipart_reply':
      return `${MP_NAMES[mpTypeOf(msg)] ?? 'OFPST_???'} reply`;
    case 'bundle_control':
      return msg.version >= OFP14_VERSION ? 'OFPT_BUNDLE_CONTROL' : 'ONFT_BUNDLE_CONTROL';
    case 'bundle_add_message':
      return msg.version >= OFP14_VERSION ? 'OFPT_BUNDLE_ADD_MESSAGE' : 'ONFT_BUNDLE_ADD_MESSAGE';
    case 'nx_packet_in2':
      return 'NXT_PACKET_IN2';
    case 'nx_resume':
      return 'NXT_RESUME';
    case 'nx_set_packet_in_format':
      return 'NXT_SET_PACKET_IN_FORMAT';
    case 'nx_set_controller_id':
      return 'NXT_SET_CONTROLLER_ID';
    case 'unknown':
      return `OFPT_UNKNOWN_${msg.rawType}`;
    case 'experimenter':
      return msg.experimenter === NX_VENDOR_ID ? `NXT_${msg.expType}` : 'OFPT_EXPERIMENTER';
    default:
      return `OFPT_${msg.type.toUpperCase()}`;
  }
}

function mpTypeOf(msg: MultipartRequest | MultipartReply): number {
  return msg.type === 'multipart_request' ? multipartRequestType(msg.body) : multipartReplyType(msg.body);
}

function hexdump(data: Uint8Array): string {
  let out = '';
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    let hex = '';
    let asc = '';
    for (let i = 0; i < 16; i++) {
      if (i < row.length) {
        hex += row[i].toString(16).padStart(2, '0') + (i === 7 ? '-' : ' ');
        asc += row[i] >= 32 && row[i] < 127 ? String.fromCharCode(row[i]) : '.';
      } else {
        hex += '   ';
        asc += ' ';
      }
    }
    out += `\n${off.toString(16).padStart(8, '0')}  ${hex}|${asc}|`;
  }
  return out;
}

function formatBody(msg: OfMessage): string {
  switch (msg.type) {
    case 'hello':
      return msg.elements.some((e) => e.kind === 'versionbitmap')
        ? `\n version bitmap: ${helloVersions(msg)
            .map((v) => `0x${v.toString(16).padStart(2, '0')}`)
            .join(', ')}`
        : '';
    case 'error':
      return formatError(msg);
    case 'echo_request':
    case 'echo_reply':
      return ` ${msg.data.length} bytes of payload${hexdump(msg.data)}`;
    case 'features_reply':
      return (
        ` dpid:${msg.datapathId.toString(16).padStart(16, '0')}\nn_tables:${msg.nTables}, n_buffers:${msg.nBuffers}` +
        (msg.auxiliaryId ? `\nauxiliary_id:${msg.auxiliaryId}` : '') +
        `\ncapabilities: ${formatBits(msg.capabilities, CAPABILITY_NAMES)}`
      );
    case 'get_config_reply':
    case 'set_config':
      return ` frags=${['normal', 'drop', 'reassemble', 'nx-match'][msg.flags & 3]} miss_send_len=${msg.missSendLen}`;
    case 'role_request':
    case 'role_reply':
      return ` role=${roleName(msg.role)}${msg.role === ControllerRole.NoChange ? '' : ` generation_id=${msg.generationId}`}`;
    case 'table_mod':
      return ` table_id: ${msg.tableId === OFPTT_ALL ? 'ALL_TABLES' : msg.tableId}`;
    case 'flow_mod':
      return formatFlowMod(msg);
    case 'flow_removed':
      return formatFlowRemoved(msg);
    case 'group_mod':
      return formatGroupMod(msg);
    case 'meter_mod':
      return formatMeterMod(msg.command, msg.meterId, msg.flags, msg.bands);
    case 'packet_in':
      return (
        packetInLine(msg.tableId, msg.cookie, msg.totalLen, msg.match, msg.reason, msg.data.length, msg.bufferId) +
        `\n${packetSummary(msg.data)}`
      );
    case 'packet_out':
      return (
        ` in_port=${formatPort(msg.inPort)} actions=${msg.actions.length ? formatActions(msg.actions) : 'drop'}` +
        (msg.bufferId === OFP_NO_BUFFER
          ? ` data_len=${msg.data.length}${msg.data.length ? `\n${packetSummary(msg.data)}` : ''}`
          : ` buffer=0x${msg.bufferId.toString(16).padStart(8, '0')}`)
      );
    case 'port_status':
      return ` ${['ADD', 'DEL', 'MOD'][msg.reason] ?? `reason=${msg.reason}`}:${formatOfPort(msg.port, formatPort(msg.port.portNo))}`;
    case 'port_mod':
      return formatPortMod(msg, formatPort(msg.portNo));
    case 'get_async_reply':
    case 'set_async':
      return formatAsync(msg);
    case 'multipart_request':
      return formatMultipartRequest(msg);
    case 'multipart_reply':
      return formatMultipartReply(msg);
    case 'bundle_control':
      return formatBundleControl(msg);
    case 'bundle_add_message':
      return `\n bundle_id=${hexId(msg.bundleId)} flags=${bundleFlags(msg.flags)}\n${formatMessage(msg.message)}`;
    case 'nx_set_packet_in_format':
      return ` format=${['standard', 'nxt_packet_in', 'nxt_packet_in2'][msg.format] ?? msg.format}`;
    case 'nx_set_controller_id':
      return ` id=${msg.controllerId}`;
    case 'nx_packet_in2':
    case 'nx_resume':
      // OVS prints the continuation (when paused) before the packet; we do not decode it, so we stop there.
      return (
        packetInLine(msg.tableId ?? 0, msg.cookie, msg.fullLen ?? msg.packet.length, msg.metadata, msg.reason ?? 0, msg.packet.length, msg.bufferId ?? OFP_NO_BUFFER) +
        (msg.userdata ? `\n userdata=${Array.from(msg.userdata, (b) => b.toString(16).padStart(2, '0')).join('.')}` : '') +
        (msg.continuation ? '' : `\n${packetSummary(msg.packet)}`)
      );
    case 'experimenter':
      return ` experimenter=0x${msg.experimenter.toString(16)} exp_type=${msg.expType}${hexdump(msg.data)}`;
    case 'unknown':
      return hexdump(msg.body);
    default:
      return '';
  }
}

function formatError(msg: ErrorMsg): string {
  const name = errorName(msg.version, msg.errType, msg.code, msg.experimenter);
  const head = name ?? `***unknown error type ${msg.errType} code ${msg.code}***`;
  if (msg.errType === 0) {
    // HELLO_FAILED carries text, printed escaped like OVS does.
    return ` ${head}\n${escapeText(msg.data)}`;
  }
  const req = failedRequest(msg);
  if (req && req.type !== 'truncated') return ` ${head}\n${formatMessage(req)}`;
  return ` ${head}${hexdump(msg.data)}`;
}

function escapeText(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b >= 32 && b < 127 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  return s;
}

const CAPABILITY_NAMES: Array<[number, string]> = [
  [1 << 0, 'FLOW_STATS'],
  [1 << 1, 'TABLE_STATS'],
  [1 << 2, 'PORT_STATS'],
  [1 << 3, 'GROUP_STATS'],
  [1 << 5, 'IP_REASM'],
  [1 << 6, 'QUEUE_STATS'],
  [1 << 8, 'PORT_BLOCKED'],
];

function formatBits(v: number, names: Array<[number, string]>): string {
  const parts: string[] = [];
  let rest = v;
  for (const [bit, name] of names) {
    if (v & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join(' ');
}

function roleName(role: number): string {
  return ['nochange', 'equal', 'primary', 'secondary'][role] ?? String(role);
}

const BUNDLE_TYPES = [
  'OPEN_REQUEST',
  'OPEN_REPLY',
  'CLOSE_REQUEST',
  'CLOSE_REPLY',
  'COMMIT_REQUEST',
  'COMMIT_REPLY',
  'DISCARD_REQUEST',
  'DISCARD_REPLY',
];

function bundleFlags(flags: number): string {
  const parts: string[] = [];
  if (flags & 1) parts.push('atomic');
  if (flags & 2) parts.push('ordered');
  return parts.length ? parts.join(' ') : '0';
}

function formatBundleControl(m: BundleControl): string {
  return `\n bundle_id=${hexId(m.bundleId)} type=${BUNDLE_TYPES[m.ctrlType] ?? m.ctrlType} flags=${bundleFlags(m.flags)}`;
}

/** C's `%#x`: no 0x prefix for zero. */
function hexId(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}


import type { Reader, Writer } from '../bytes.js';
import { MultipartType as MP, OFP13_VERSION } from './constants.js';
import { copyBytes, expectEnd } from './header.js';
import { fixedSize, lengthPrefixed } from './lists.js';
import { decodePort, encodePort } from './port.js';
import * as e from './stats-entries.js';
import type { Header, MultipartReply, MultipartReplyBody } from './types.js';

/** OFPT_MULTIPART_REPLY (OF1.3): type, flags, 4 pad bytes, then the stats for that type. */

const KIND_TYPES: Record<Exclude<MultipartReplyBody['kind'], 'raw'>, number> = {
  desc: MP.DESC,
  flow: MP.FLOW,
  aggregate: MP.AGGREGATE,
  table: MP.TABLE,
  port_stats: MP.PORT_STATS,
  queue: MP.QUEUE,
  group: MP.GROUP,
  group_desc: MP.GROUP_DESC,
  group_features: MP.GROUP_FEATURES,
  meter: MP.METER,
  meter_config: MP.METER_CONFIG,
  meter_features: MP.METER_FEATURES,
  table_features: MP.TABLE_FEATURES,
  port_desc: MP.PORT_DESC,
};

export function multipartReplyType(body: MultipartReplyBody): number {
  return body.kind === 'raw' ? body.mpType : KIND_TYPES[body.kind];
}

export function encodeMultipartReplyBody(w: Writer, m: MultipartReply): void {
  const body = m.body;
  w.u16(multipartReplyType(body));
  w.u16(m.flags);
  w.zeros(4);
  switch (body.kind) {
    case 'desc':
      w.str(body.mfrDesc, 256);
      w.str(body.hwDesc, 256);
      w.str(body.swDesc, 256);
      w.str(body.serialNum, 32);
      w.str(body.dpDesc, 256);
      break;
    case 'flow':
      for (const f of body.flows) e.encodeFlowStats(w, f);
      break;
    case 'aggregate':
      w.u64(body.packetCount);
      w.u64(body.byteCount);
      w.u32(body.flowCount);
      w.zeros(4);
      break;
    case 'table':
      for (const t of body.tables) e.encodeTableStats(w, t);
      break;
    case 'port_stats':
      for (const p of body.ports) e.encodePortStats(w, p);
      break;
    case 'port_desc':
      for (const p of body.ports) encodePort(w, p);
      break;
    case 'queue':
      for (const q of body.queues) e.encodeQueueStats(w, q);
      break;
    case 'group':
      for (const g of body.groups) e.encodeGroupStats(w, g);
      break;
    case 'group_desc':
      for (const g of body.groups) e.encodeGroupDesc(w, g);
      break;
    case 'group_features':
      w.u32(body.types);
      w.u32(body.capabilities);
      for (const v of body.maxGroups) w.u32(v);
      for (const v of body.actions) w.u32(v);
      break;
    case 'meter':
      for (const s of body.meters) e.encodeMeterStats(w, s);
      break;
    case 'meter_config':
      for (const c of body.meters) e.encodeMeterConfig(w, c);
      break;
    case 'meter_features':
      w.u32(body.maxMeter);
      w.u32(body.bandTypes);
      w.u32(body.capabilities);
      w.u8(body.maxBands);
      w.u8(body.maxColor);
      w.zeros(2);
      break;
    case 'table_features':
      for (const t of body.tables) e.encodeTableFeatures(w, t);
      break;
    case 'raw':
      w.bytes(body.data);
      break;
  }
}

export function decodeMultipartReplyBody(r: Reader, h: Header): MultipartReply {
  const mpType = r.u16();
  const flags = r.u16();
  r.skip(4);
  return { type: 'multipart_reply', version: h.version, xid: h.xid, flags, body: decodeReplyBody(r, mpType, h.version) };
}

/** OF1.4 changed the port and queue entries (properties): those stay raw there. */
const CHANGED_IN_OF14: ReadonlySet<number> = new Set([MP.PORT_STATS, MP.PORT_DESC, MP.QUEUE]);

function decodeReplyBody(r: Reader, mpType: number, version: number): MultipartReplyBody {
  if (version > OFP13_VERSION && CHANGED_IN_OF14.has(mpType)) return { kind: 'raw', mpType, data: copyBytes(r, r.remaining) };
  switch (mpType) {
    case MP.DESC: {
      const body: MultipartReplyBody = {
        kind: 'desc',
        mfrDesc: r.str(256),
        hwDesc: r.str(256),
        swDesc: r.str(256),
        serialNum: r.str(32),
        dpDesc: r.str(256),
      };
      expectEnd(r, 'DESC reply');
      return body;
    }
    case MP.FLOW:
      return { kind: 'flow', flows: lengthPrefixed(r, 0, 56, 'flow stats', e.decodeFlowStats) };
    case MP.AGGREGATE: {
      const packetCount = r.u64();
      const byteCount = r.u64();
      const flowCount = r.u32();
      r.skip(4);
      expectEnd(r, 'AGGREGATE reply');
      return { kind: 'aggregate', packetCount, byteCount, flowCount };
    }
    case MP.TABLE:
      return { kind: 'table', tables: fixedSize(r, 24, 'table stats', e.decodeTableStats) };
    case MP.PORT_STATS:
      return { kind: 'port_stats', ports: fixedSize(r, 112, 'port stats', e.decodePortStats) };
    case MP.PORT_DESC:
      return { kind: 'port_desc', ports: fixedSize(r, 64, 'ofp_port', decodePort) };
    case MP.QUEUE:
      return { kind: 'queue', queues: fixedSize(r, 40, 'queue stats', e.decodeQueueStats) };
    case MP.GROUP:
      return { kind: 'group', groups: lengthPrefixed(r, 0, 40, 'group stats', e.decodeGroupStats) };
    case MP.GROUP_DESC:
      return { kind: 'group_desc', groups: lengthPrefixed(r, 0, 8, 'group desc', e.decodeGroupDesc) };
    case MP.GROUP_FEATURES: {
      const body: MultipartReplyBody = {
        kind: 'group_features',
        types: r.u32(),
        capabilities: r.u32(),
        maxGroups: [r.u32(), r.u32(), r.u32(), r.u32()],
        actions: [r.u32(), r.u32(), r.u32(), r.u32()],
      };
      expectEnd(r, 'GROUP_FEATURES reply');
      return body;
    }
    case MP.METER:
      return { kind: 'meter', meters: lengthPrefixed(r, 4, 40, 'meter stats', e.decodeMeterStats) };
    case MP.METER_CONFIG:
      return { kind: 'meter_config', meters: lengthPrefixed(r, 0, 8, 'meter config', e.decodeMeterConfig) };
    case MP.METER_FEATURES: {
      const body: MultipartReplyBody = {
        kind: 'meter_features',
        maxMeter: r.u32(),
        bandTypes: r.u32(),
        capabilities: r.u32(),
        maxBands: r.u8(),
        maxColor: r.u8(),
      };
      r.skip(2);
      expectEnd(r, 'METER_FEATURES reply');
      return body;
    }
    case MP.TABLE_FEATURES:
      return { kind: 'table_features', tables: lengthPrefixed(r, 0, 64, 'table features', e.decodeTableFeatures) };
    default:
      return { kind: 'raw', mpType, data: copyBytes(r, r.remaining) };
  }
}

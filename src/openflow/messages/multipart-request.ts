import type { Reader, Writer } from '../bytes.js';
import { decodeMatch, encodeMatch } from '../oxm/index.js';
import { expectEnd, copyBytes } from './header.js';
import { MultipartType as MP } from './constants.js';
import { readU64, writeU64 } from './flow-mod.js';
import type { Header, MultipartRequest, MultipartRequestBody } from './types.js';

/** OFPT_MULTIPART_REQUEST (OF1.3): type, flags, 4 pad bytes, then a body chosen by type. */

type EmptyKind = 'desc' | 'table' | 'port_desc' | 'group_desc' | 'group_features' | 'meter_features';

const EMPTY_KIND_TYPES: Record<EmptyKind, number> = {
  desc: MP.DESC,
  table: MP.TABLE,
  port_desc: MP.PORT_DESC,
  group_desc: MP.GROUP_DESC,
  group_features: MP.GROUP_FEATURES,
  meter_features: MP.METER_FEATURES,
};

export function multipartRequestType(body: MultipartRequestBody): number {
  switch (body.kind) {
    case 'flow':
      return MP.FLOW;
    case 'aggregate':
      return MP.AGGREGATE;
    case 'port_stats':
      return MP.PORT_STATS;
    case 'queue':
      return MP.QUEUE;
    case 'group':
      return MP.GROUP;
    case 'meter':
      return MP.METER;
    case 'meter_config':
      return MP.METER_CONFIG;
    case 'table_features':
      return MP.TABLE_FEATURES;
    case 'raw':
      return body.mpType;
    default:
      return EMPTY_KIND_TYPES[body.kind];
  }
}

const EMPTY_KIND_BY_TYPE = new Map(Object.entries(EMPTY_KIND_TYPES).map(([k, v]) => [v, k as EmptyKind]));

export function encodeMultipartRequestBody(w: Writer, m: MultipartRequest): void {
  const body = m.body;
  w.u16(multipartRequestType(body));
  w.u16(m.flags);
  w.zeros(4);
  switch (body.kind) {
    case 'flow':
    case 'aggregate':
      w.u8(body.tableId);
      w.zeros(3);
      w.u32(body.outPort);
      w.u32(body.outGroup);
      w.zeros(4);
      writeU64(w, body.cookie);
      writeU64(w, body.cookieMask);
      encodeMatch(w, body.match);
      break;
    case 'port_stats':
      w.u32(body.portNo);
      w.zeros(4);
      break;
    case 'queue':
      w.u32(body.portNo);
      w.u32(body.queueId);
      break;
    case 'group':
      w.u32(body.groupId);
      w.zeros(4);
      break;
    case 'meter':
    case 'meter_config':
      w.u32(body.meterId);
      w.zeros(4);
      break;
    case 'table_features':
    case 'raw':
      w.bytes(body.data);
      break;
    default:
      break;
  }
}

export function decodeMultipartRequestBody(r: Reader, h: Header): MultipartRequest {
  const mpType = r.u16();
  const flags = r.u16();
  r.skip(4);
  const body = decodeBody(r, mpType);
  return { type: 'multipart_request', version: h.version, xid: h.xid, flags, body };
}

function decodeBody(r: Reader, mpType: number): MultipartRequestBody {
  switch (mpType) {
    case MP.DESC:
    case MP.TABLE:
    case MP.PORT_DESC:
    case MP.GROUP_DESC:
    case MP.GROUP_FEATURES:
    case MP.METER_FEATURES: {
      expectEnd(r, 'multipart request');
      return { kind: EMPTY_KIND_BY_TYPE.get(mpType) as EmptyKind };
    }
    case MP.FLOW:
    case MP.AGGREGATE: {
      const tableId = r.u8();
      r.skip(3);
      const outPort = r.u32();
      const outGroup = r.u32();
      r.skip(4);
      const cookie = readU64(r);
      const cookieMask = readU64(r);
      const match = decodeMatch(r);
      expectEnd(r, 'flow stats request');
      return { kind: mpType === MP.FLOW ? 'flow' : 'aggregate', tableId, outPort, outGroup, cookie, cookieMask, match };
    }
    case MP.PORT_STATS: {
      const portNo = r.u32();
      r.skip(4);
      expectEnd(r, 'port stats request');
      return { kind: 'port_stats', portNo };
    }
    case MP.QUEUE: {
      const portNo = r.u32();
      const queueId = r.u32();
      expectEnd(r, 'queue stats request');
      return { kind: 'queue', portNo, queueId };
    }
    case MP.GROUP: {
      const groupId = r.u32();
      r.skip(4);
      expectEnd(r, 'group stats request');
      return { kind: 'group', groupId };
    }
    case MP.METER:
    case MP.METER_CONFIG: {
      const meterId = r.u32();
      r.skip(4);
      expectEnd(r, 'meter request');
      return { kind: mpType === MP.METER ? 'meter' : 'meter_config', meterId };
    }
    case MP.TABLE_FEATURES:
      return { kind: 'table_features', data: copyBytes(r, r.remaining) };
    default:
      return { kind: 'raw', mpType, data: copyBytes(r, r.remaining) };
  }
}

import type { Reader, Writer } from '../bytes.js';
import { decodeMatch, encodeMatch } from '../oxm/index.js';
import { decodeActions, encodeActions } from '../actions/index.js';
import { checkLength, expectEnd, copyBytes } from './header.js';
import { decodePort, encodePort } from './port.js';
import { readU64, writeU64 } from './flow-mod.js';
import type { FlowRemoved, Header, PacketIn, PacketOut, PortStatus } from './types.js';

/** PACKET_IN, FLOW_REMOVED, PORT_STATUS (switch → controller) and PACKET_OUT, OF1.3 layouts. */

export function encodePacketInBody(w: Writer, m: PacketIn): void {
  w.u32(m.bufferId);
  w.u16(m.totalLen);
  w.u8(m.reason);
  w.u8(m.tableId);
  writeU64(w, m.cookie);
  encodeMatch(w, m.match);
  w.zeros(2);
  w.bytes(m.data);
}

export function decodePacketInBody(r: Reader, h: Header): PacketIn {
  const bufferId = r.u32();
  const totalLen = r.u16();
  const reason = r.u8();
  const tableId = r.u8();
  const cookie = readU64(r);
  const match = decodeMatch(r);
  r.skip(2);
  const data = copyBytes(r, r.remaining);
  return { type: 'packet_in', version: h.version, xid: h.xid, bufferId, totalLen, reason, tableId, cookie, match, data };
}

export function encodeFlowRemovedBody(w: Writer, m: FlowRemoved): void {
  writeU64(w, m.cookie);
  w.u16(m.priority);
  w.u8(m.reason);
  w.u8(m.tableId);
  w.u32(m.durationSec);
  w.u32(m.durationNsec);
  w.u16(m.idleTimeout);
  w.u16(m.hardTimeout);
  w.u64(m.packetCount);
  w.u64(m.byteCount);
  encodeMatch(w, m.match);
}

export function decodeFlowRemovedBody(r: Reader, h: Header): FlowRemoved {
  const m: FlowRemoved = {
    type: 'flow_removed',
    version: h.version,
    xid: h.xid,
    cookie: readU64(r),
    priority: r.u16(),
    reason: r.u8(),
    tableId: r.u8(),
    durationSec: r.u32(),
    durationNsec: r.u32(),
    idleTimeout: r.u16(),
    hardTimeout: r.u16(),
    packetCount: r.u64(),
    byteCount: r.u64(),
    match: [],
  };
  m.match = decodeMatch(r);
  expectEnd(r, 'FLOW_REMOVED');
  return m;
}

export function encodePortStatusBody(w: Writer, m: PortStatus): void {
  w.u8(m.reason);
  w.zeros(7);
  encodePort(w, m.port);
}

export function decodePortStatusBody(r: Reader, h: Header): PortStatus {
  const reason = r.u8();
  r.skip(7);
  const port = decodePort(r);
  expectEnd(r, 'PORT_STATUS');
  return { type: 'port_status', version: h.version, xid: h.xid, reason, port };
}

export function encodePacketOutBody(w: Writer, m: PacketOut): void {
  w.u32(m.bufferId);
  w.u32(m.inPort);
  const lenAt = w.pos;
  w.u16(0);
  w.zeros(6);
  const actionsStart = w.pos;
  encodeActions(w, m.actions);
  w.patchU16(lenAt, w.pos - actionsStart);
  w.bytes(m.data);
}

export function decodePacketOutBody(r: Reader, h: Header): PacketOut {
  const bufferId = r.u32();
  const inPort = r.u32();
  const actionsLen = r.u16();
  r.skip(6);
  checkLength(r, actionsLen, 0, 'PACKET_OUT actions', true);
  const actions = r.withLimit(actionsLen, 'PACKET_OUT actions', (ar) => decodeActions(ar));
  const data = copyBytes(r, r.remaining);
  return { type: 'packet_out', version: h.version, xid: h.xid, bufferId, inPort, actions, data };
}

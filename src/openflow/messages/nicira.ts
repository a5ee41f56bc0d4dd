import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { decodeOxmEntry, encodeOxmEntry } from '../oxm/index.js';
import type { Match } from '../oxm/index.js';
import { NxpintType } from './constants.js';
import { checkLength, expectEnd, copyBytes } from './header.js';
import { readU64 } from './flow-mod.js';
import type { Header, NxPacketIn2, NxPacketIn2Props, NxResume, NxSetControllerId, NxSetPacketInFormat } from './types.js';

/** Bodies of the Nicira messages, after the 16-byte nicira_header (experimenter + subtype). */

export function encodePacketIn2Props(w: Writer, m: NxPacketIn2Props): void {
  putBytesProp(w, NxpintType.PACKET, m.packet);
  if (m.fullLen !== undefined) putU32Prop(w, NxpintType.FULL_LEN, m.fullLen);
  if (m.bufferId !== undefined) putU32Prop(w, NxpintType.BUFFER_ID, m.bufferId);
  if (m.tableId !== undefined) putU8Prop(w, NxpintType.TABLE_ID, m.tableId);
  if (m.cookie !== undefined) {
    const start = propStart(w, NxpintType.COOKIE);
    w.zeros(4); // OVS aligns 64-bit property values to 8
    w.u64(m.cookie);
    propEnd(w, start);
  }
  if (m.reason !== undefined) putU8Prop(w, NxpintType.REASON, m.reason);
  if (m.metadata.length > 0) {
    const start = propStart(w, NxpintType.METADATA);
    for (const e of m.metadata) encodeOxmEntry(w, e);
    propEnd(w, start);
  }
  // OVS writes the continuation before the userdata; keep its order so frames re-encode identically.
  if (m.continuation !== undefined) putBytesProp(w, NxpintType.CONTINUATION, m.continuation);
  if (m.userdata !== undefined) putBytesProp(w, NxpintType.USERDATA, m.userdata);
  for (const raw of m.rawProperties) w.bytes(raw);
}

export function decodePacketIn2Props(r: Reader): NxPacketIn2Props {
  const p: NxPacketIn2Props = { packet: new Uint8Array(0), metadata: [], rawProperties: [] };
  let sawPacket = false;
  while (r.remaining > 0) {
    r.need(4, 'property header');
    const type = (r.buf[r.pos] << 8) | r.buf[r.pos + 1];
    const len = (r.buf[r.pos + 2] << 8) | r.buf[r.pos + 3];
    checkLength(r, len, 4, 'property');
    const padded = Math.min((len + 7) & ~7, r.remaining);
    const start = r.pos;
    r.withLimit(len, 'property', (pr) => {
      pr.skip(4);
      switch (type) {
        case NxpintType.PACKET:
          p.packet = copyBytes(pr, pr.remaining);
          sawPacket = true;
          break;
        case NxpintType.FULL_LEN:
          p.fullLen = u32Prop(pr);
          break;
        case NxpintType.BUFFER_ID:
          p.bufferId = u32Prop(pr);
          break;
        case NxpintType.TABLE_ID:
          p.tableId = u8Prop(pr);
          break;
        case NxpintType.COOKIE:
          if (pr.remaining === 12) pr.skip(4);
          if (pr.remaining !== 8) throw new DecodeError('cookie property: bad length', pr.pos);
          p.cookie = readU64(pr);
          break;
        case NxpintType.REASON:
          p.reason = u8Prop(pr);
          break;
        case NxpintType.METADATA: {
          const md: Match = [];
          while (pr.remaining > 0) md.push(decodeOxmEntry(pr));
          p.metadata = md;
          break;
        }
        case NxpintType.USERDATA:
          p.userdata = copyBytes(pr, pr.remaining);
          break;
        case NxpintType.CONTINUATION:
          p.continuation = copyBytes(pr, pr.remaining);
          break;
        default:
          break;
      }
    });
    r.pos = start;
    if (!isKnown(type)) p.rawProperties.push(copyBytes(r, padded));
    else r.skip(padded);
  }
  if (!sawPacket) throw new DecodeError('NXT_PACKET_IN2/RESUME without a packet property', r.pos);
  return p;
}

function isKnown(type: number): boolean {
  return type <= NxpintType.CONTINUATION;
}

export function decodePacketIn2Body(r: Reader, h: Header): NxPacketIn2 {
  return { type: 'nx_packet_in2', version: h.version, xid: h.xid, ...decodePacketIn2Props(r) };
}

export function decodeResumeBody(r: Reader, h: Header): NxResume {
  return { type: 'nx_resume', version: h.version, xid: h.xid, ...decodePacketIn2Props(r) };
}

export function decodeSetPacketInFormatBody(r: Reader, h: Header): NxSetPacketInFormat {
  const format = r.u32();
  expectEnd(r, 'NXT_SET_PACKET_IN_FORMAT');
  return { type: 'nx_set_packet_in_format', version: h.version, xid: h.xid, format };
}

export function encodeSetControllerIdBody(w: Writer, m: NxSetControllerId): void {
  w.zeros(6);
  w.u16(m.controllerId);
}

export function decodeSetControllerIdBody(r: Reader, h: Header): NxSetControllerId {
  r.skip(6);
  const controllerId = r.u16();
  expectEnd(r, 'NXT_SET_CONTROLLER_ID');
  return { type: 'nx_set_controller_id', version: h.version, xid: h.xid, controllerId };
}

function propStart(w: Writer, type: number): number {
  const start = w.pos;
  w.u16(type);
  w.u16(0);
  return start;
}

function propEnd(w: Writer, start: number): void {
  w.patchU16(start + 2, w.pos - start);
  w.padTo(start);
}

function putBytesProp(w: Writer, type: number, v: Uint8Array): void {
  const start = propStart(w, type);
  w.bytes(v);
  propEnd(w, start);
}

function putU32Prop(w: Writer, type: number, v: number): void {
  const start = propStart(w, type);
  w.u32(v);
  propEnd(w, start);
}

function putU8Prop(w: Writer, type: number, v: number): void {
  const start = propStart(w, type);
  w.u8(v);
  propEnd(w, start);
}

function u32Prop(r: Reader): number {
  const v = r.u32();
  expectEnd(r, 'u32 property');
  return v;
}

function u8Prop(r: Reader): number {
  const v = r.u8();
  expectEnd(r, 'u8 property');
  return v;
}

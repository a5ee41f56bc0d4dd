import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { OFPET_EXPERIMENTER, OFPHET_VERSIONBITMAP } from './constants.js';
import { checkLength, expectEnd, copyBytes } from './header.js';
import type {
  AsyncConfig,
  ErrorMsg,
  FeaturesReply,
  Header,
  Hello,
  HelloElement,
  RoleReply,
  RoleRequest,
} from './types.js';

/** Bodies of the small fixed-layout messages (HELLO, ERROR, FEATURES, ROLE, ASYNC, SWITCH_CONFIG). */

export function encodeHelloBody(w: Writer, m: Hello): void {
  for (const e of m.elements) {
    const start = w.pos;
    if (e.kind === 'versionbitmap') {
      w.u16(OFPHET_VERSIONBITMAP);
      w.u16(4 + 4 * e.bitmaps.length);
      for (const b of e.bitmaps) w.u32(b);
    } else {
      w.u16(e.elemType);
      w.u16(4 + e.data.length);
      w.bytes(e.data);
    }
    w.padTo(start);
  }
}

export function decodeHelloBody(r: Reader, h: Header): Hello {
  const elements: HelloElement[] = [];
  while (r.remaining > 0) {
    // Elements are padded to 8 bytes; a missing pad after the last element is tolerated.
    r.need(4, 'HELLO element header');
    const elemType = (r.buf[r.pos] << 8) | r.buf[r.pos + 1];
    const len = (r.buf[r.pos + 2] << 8) | r.buf[r.pos + 3];
    checkLength(r, len, 4, 'HELLO element');
    const padded = Math.min((len + 7) & ~7, r.remaining);
    r.withLimit(padded, 'HELLO element', (er) => {
      er.skip(4);
      if (elemType === OFPHET_VERSIONBITMAP) {
        if ((len - 4) % 4 !== 0) throw new DecodeError('HELLO version bitmap length not a multiple of 4', er.pos);
        const bitmaps: number[] = [];
        for (let i = 4; i < len; i += 4) bitmaps.push(er.u32());
        elements.push({ kind: 'versionbitmap', bitmaps });
      } else {
        elements.push({ kind: 'raw', elemType, data: copyBytes(er, len - 4) });
      }
    });
  }
  return { type: 'hello', version: h.version, xid: h.xid, elements };
}

export function encodeErrorBody(w: Writer, m: ErrorMsg): void {
  w.u16(m.errType);
  w.u16(m.code);
  // Same condition as the decoder: OF1.0/1.1 have no experimenter id after type 0xffff.
  if (m.errType === OFPET_EXPERIMENTER && m.version >= 3) w.u32(m.experimenter ?? 0);
  w.bytes(m.data);
}

export function decodeErrorBody(r: Reader, h: Header): ErrorMsg {
  const errType = r.u16();
  const code = r.u16();
  const m: ErrorMsg = { type: 'error', version: h.version, xid: h.xid, errType, code, data: new Uint8Array(0) };
  // OF1.0/1.1 have no experimenter error form; 0xffff there is just an unknown type.
  if (errType === OFPET_EXPERIMENTER && h.version >= 3) m.experimenter = r.u32();
  m.data = copyBytes(r, r.remaining);
  return m;
}

export function encodeFeaturesReplyBody(w: Writer, m: FeaturesReply): void {
  w.u64(m.datapathId);
  w.u32(m.nBuffers);
  w.u8(m.nTables);
  w.u8(m.auxiliaryId);
  w.zeros(2);
  w.u32(m.capabilities);
  w.u32(m.reserved);
}

export function decodeFeaturesReplyBody(r: Reader, h: Header): FeaturesReply {
  const datapathId = r.u64();
  const nBuffers = r.u32();
  const nTables = r.u8();
  const auxiliaryId = r.u8();
  r.skip(2);
  const capabilities = r.u32();
  const reserved = r.u32();
  expectEnd(r, 'FEATURES_REPLY');
  return { type: 'features_reply', version: h.version, xid: h.xid, datapathId, nBuffers, nTables, auxiliaryId, capabilities, reserved };
}

export function decodeSwitchConfigBody(r: Reader): { flags: number; missSendLen: number } {
  const flags = r.u16();
  const missSendLen = r.u16();
  expectEnd(r, 'switch config');
  return { flags, missSendLen };
}

export function encodeRoleBody(w: Writer, m: RoleRequest | RoleReply): void {
  w.u32(m.role);
  w.zeros(4);
  w.u64(m.generationId);
}

export function decodeRoleBody(r: Reader): { role: number; generationId: bigint } {
  const role = r.u32();
  r.skip(4);
  const generationId = r.u64();
  expectEnd(r, 'ROLE');
  return { role, generationId };
}

export function encodeAsyncBody(w: Writer, m: AsyncConfig): void {
  w.u32(m.packetInMask[0]);
  w.u32(m.packetInMask[1]);
  w.u32(m.portStatusMask[0]);
  w.u32(m.portStatusMask[1]);
  w.u32(m.flowRemovedMask[0]);
  w.u32(m.flowRemovedMask[1]);
}

export function decodeAsyncBody(r: Reader): AsyncConfig {
  const c: AsyncConfig = {
    packetInMask: [r.u32(), r.u32()],
    portStatusMask: [r.u32(), r.u32()],
    flowRemovedMask: [r.u32(), r.u32()],
  };
  expectEnd(r, 'ASYNC config');
  return c;
}

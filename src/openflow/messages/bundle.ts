import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { OFP_HEADER_LEN } from './constants.js';
import { checkLength, copyBytes } from './header.js';
import type { BundleAddMessage, BundleControl, Header, OfMessage } from './types.js';

/**
 * Bundle bodies: the same `ofp14_bundle_ctrl_msg` layout whether native OF1.4 (after the
 * ofp_header) or ONF extension 230 in OF1.3 (after the 16-byte experimenter header).
 */

export function encodeBundleControlBody(w: Writer, m: BundleControl): void {
  w.u32(m.bundleId);
  w.u16(m.ctrlType);
  w.u16(m.flags);
  w.bytes(m.properties);
}

export function decodeBundleControlBody(r: Reader, h: Header): BundleControl {
  const bundleId = r.u32();
  const ctrlType = r.u16();
  const flags = r.u16();
  return { type: 'bundle_control', version: h.version, xid: h.xid, bundleId, ctrlType, flags, properties: copyBytes(r, r.remaining) };
}

/** OVS copies the inner message right after the 8 fixed bytes and adds no padding before properties. */
export function encodeBundleAddBody(w: Writer, m: BundleAddMessage, encodeInner: (w: Writer, msg: OfMessage) => void): void {
  w.u32(m.bundleId);
  w.zeros(2);
  w.u16(m.flags);
  encodeInner(w, m.message);
  w.bytes(m.properties);
}

export function decodeBundleAddBody(
  r: Reader,
  h: Header,
  decodeInner: (buf: Uint8Array, offset: number, length: number) => OfMessage,
): BundleAddMessage {
  const bundleId = r.u32();
  r.skip(2);
  const flags = r.u16();
  r.need(OFP_HEADER_LEN, 'bundled message header');
  const innerLen = (r.buf[r.pos + 2] << 8) | r.buf[r.pos + 3];
  checkLength(r, innerLen, OFP_HEADER_LEN, 'bundled message');
  const message = decodeInner(r.buf, r.pos, innerLen);
  r.skip(innerLen);
  if (message.version !== h.version) {
    throw new DecodeError(`bundled message version ${message.version} differs from the bundle's ${h.version}`, r.pos);
  }
  return { type: 'bundle_add_message', version: h.version, xid: h.xid, bundleId, flags, message, properties: copyBytes(r, r.remaining) };
}

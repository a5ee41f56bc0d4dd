import { Reader } from '../bytes.js';
import { DecodeError } from '../errors.js';
import {
  NX_VENDOR_ID,
  NxtSubtype,
  OFP13_VERSION,
  OFP14_VERSION,
  OFP15_VERSION,
  OFP_HEADER_LEN,
  OfpType as T,
  ONF_VENDOR_ID,
  ONFT_BUNDLE_ADD_MESSAGE,
  ONFT_BUNDLE_CONTROL,
} from './constants.js';
import { copyBytes, expectEnd } from './header.js';
import * as simple from './simple.js';
import { decodeFlowModBody } from './flow-mod.js';
import * as ev from './async-events.js';
import * as mods from './mods.js';
import { decodeMultipartRequestBody } from './multipart-request.js';
import { decodeMultipartReplyBody } from './multipart-reply.js';
import { decodeBundleAddBody, decodeBundleControlBody } from './bundle.js';
import * as nx from './nicira.js';
import type { Header, OfMessage } from './types.js';

/**
 * Decodes exactly one message occupying buf[offset, offset+length) (default: the rest of buf).
 * The header length must equal that span. Throws only DecodeError.
 */
export function decodeMessage(buf: Uint8Array, offset = 0, length = buf.length - offset): OfMessage {
  if (offset < 0 || length < 0 || offset + length > buf.length) throw new DecodeError('message range outside buffer', offset);
  if (length < OFP_HEADER_LEN) throw new DecodeError(`message of ${length} bytes shorter than the 8-byte header`, offset);
  const version = buf[offset];
  const type = buf[offset + 1];
  const declared = (buf[offset + 2] << 8) | buf[offset + 3];
  if (declared !== length) {
    throw new DecodeError(`header length ${declared} does not match the ${length} bytes given`, offset + 2);
  }
  const xid = ((buf[offset + 4] << 24) >>> 0) + ((buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]);
  const r = new Reader(buf, offset + OFP_HEADER_LEN, offset + length);
  const h: Header = { version, xid };
  try {
    return decodeBody(r, h, type);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // A sub-decoder bug must not escape as a TypeError/RangeError: the contract is DecodeError only.
    throw new DecodeError(`${(e as Error).message ?? String(e)} while decoding message type ${type}`, r.pos);
  }
}

function unknown(r: Reader, h: Header, rawType: number): OfMessage {
  return { type: 'unknown', version: h.version, xid: h.xid, rawType, body: copyBytes(r, r.remaining) };
}

function empty<K extends OfMessage['type']>(r: Reader, h: Header, type: K, what: string): OfMessage {
  expectEnd(r, what);
  return { type, version: h.version, xid: h.xid } as OfMessage;
}

function decodeBody(r: Reader, h: Header, type: number): OfMessage {
  // Types 0–4 mean the same thing in every OpenFlow version.
  switch (type) {
    case T.HELLO:
      return simple.decodeHelloBody(r, h);
    case T.ERROR:
      return simple.decodeErrorBody(r, h);
    case T.ECHO_REQUEST:
      return { type: 'echo_request', version: h.version, xid: h.xid, data: copyBytes(r, r.remaining) };
    case T.ECHO_REPLY:
      return { type: 'echo_reply', version: h.version, xid: h.xid, data: copyBytes(r, r.remaining) };
    case T.EXPERIMENTER:
      return decodeExperimenter(r, h);
  }
  // Everything else is decoded in the OF1.3 layout, and in OF1.4/1.5 only where it is unchanged.
  const v = h.version;
  if (v < OFP13_VERSION || v > OFP15_VERSION) return unknown(r, h, type);
  const v13only = v === OFP13_VERSION;
  switch (type) {
    case T.FEATURES_REQUEST:
      return empty(r, h, 'features_request', 'FEATURES_REQUEST');
    case T.FEATURES_REPLY:
      return simple.decodeFeaturesReplyBody(r, h);
    case T.GET_CONFIG_REQUEST:
      return empty(r, h, 'get_config_request', 'GET_CONFIG_REQUEST');
    case T.GET_CONFIG_REPLY:
      return { type: 'get_config_reply', version: v, xid: h.xid, ...simple.decodeSwitchConfigBody(r) };
    case T.SET_CONFIG:
      return { type: 'set_config', version: v, xid: h.xid, ...simple.decodeSwitchConfigBody(r) };
    case T.PACKET_IN:
      return v <= OFP14_VERSION ? ev.decodePacketInBody(r, h) : unknown(r, h, type);
    case T.FLOW_REMOVED:
      return v13only ? ev.decodeFlowRemovedBody(r, h) : unknown(r, h, type);
    case T.PORT_STATUS:
      return v13only ? ev.decodePortStatusBody(r, h) : unknown(r, h, type);
    case T.PACKET_OUT:
      return v <= OFP14_VERSION ? ev.decodePacketOutBody(r, h) : unknown(r, h, type);
    case T.FLOW_MOD:
      return decodeFlowModBody(r, h);
    case T.GROUP_MOD:
      return v <= OFP14_VERSION ? mods.decodeGroupModBody(r, h) : unknown(r, h, type);
    case T.PORT_MOD:
      return v13only ? mods.decodePortModBody(r, h) : unknown(r, h, type);
    case T.TABLE_MOD:
      return v13only ? mods.decodeTableModBody(r, h) : unknown(r, h, type);
    case T.MULTIPART_REQUEST:
      return v <= OFP14_VERSION ? decodeMultipartRequestBody(r, h) : unknown(r, h, type);
    case T.MULTIPART_REPLY:
      return v <= OFP14_VERSION ? decodeMultipartReplyBody(r, h) : unknown(r, h, type);
    case T.BARRIER_REQUEST:
      return empty(r, h, 'barrier_request', 'BARRIER_REQUEST');
    case T.BARRIER_REPLY:
      return empty(r, h, 'barrier_reply', 'BARRIER_REPLY');
    case T.ROLE_REQUEST:
      return { type: 'role_request', version: v, xid: h.xid, ...simple.decodeRoleBody(r) };
    case T.ROLE_REPLY:
      return { type: 'role_reply', version: v, xid: h.xid, ...simple.decodeRoleBody(r) };
    case T.GET_ASYNC_REQUEST:
      return v13only ? empty(r, h, 'get_async_request', 'GET_ASYNC_REQUEST') : unknown(r, h, type);
    case T.GET_ASYNC_REPLY:
      return v13only ? { type: 'get_async_reply', version: v, xid: h.xid, ...simple.decodeAsyncBody(r) } : unknown(r, h, type);
    case T.SET_ASYNC:
      return v13only ? { type: 'set_async', version: v, xid: h.xid, ...simple.decodeAsyncBody(r) } : unknown(r, h, type);
    case T.METER_MOD:
      return v <= OFP14_VERSION ? mods.decodeMeterModBody(r, h) : unknown(r, h, type);
    case T.BUNDLE_CONTROL:
      return v >= OFP14_VERSION ? decodeBundleControlBody(r, h) : unknown(r, h, type);
    case T.BUNDLE_ADD_MESSAGE:
      return v >= OFP14_VERSION ? decodeBundleAddBody(r, h, decodeMessage) : unknown(r, h, type);
    default:
      return unknown(r, h, type);
  }
}

function decodeExperimenter(r: Reader, h: Header): OfMessage {
  const bodyStart = r.pos;
  const experimenter = r.u32();
  const expType = r.u32();
  if (experimenter === ONF_VENDOR_ID && h.version === OFP13_VERSION) {
    if (expType === ONFT_BUNDLE_CONTROL) return decodeBundleControlBody(r, h);
    if (expType === ONFT_BUNDLE_ADD_MESSAGE) return decodeBundleAddBody(r, h, decodeMessage);
  } else if (experimenter === NX_VENDOR_ID) {
    switch (expType) {
      case NxtSubtype.PACKET_IN2:
        return nx.decodePacketIn2Body(r, h);
      case NxtSubtype.RESUME:
        return nx.decodeResumeBody(r, h);
      case NxtSubtype.SET_PACKET_IN_FORMAT:
        return nx.decodeSetPacketInFormatBody(r, h);
      case NxtSubtype.SET_CONTROLLER_ID:
        return nx.decodeSetControllerIdBody(r, h);
    }
  }
  r.pos = bodyStart + 8;
  return { type: 'experimenter', version: h.version, xid: h.xid, experimenter, expType, data: copyBytes(r, r.remaining) };
}

import { Writer } from '../bytes.js';
import { EncodeError } from '../errors.js';
import { NX_VENDOR_ID, NxtSubtype, OFP14_VERSION, OfpType as T, ONF_VENDOR_ID, ONFT_BUNDLE_ADD_MESSAGE, ONFT_BUNDLE_CONTROL } from './constants.js';
import { beginMessage, endMessage } from './header.js';
import * as simple from './simple.js';
import { encodeFlowModBody } from './flow-mod.js';
import * as ev from './async-events.js';
import * as mods from './mods.js';
import { encodeMultipartRequestBody } from './multipart-request.js';
import { encodeMultipartReplyBody } from './multipart-reply.js';
import { encodeBundleAddBody, encodeBundleControlBody } from './bundle.js';
import * as nx from './nicira.js';
import type { OfMessage } from './types.js';

/**
 * Encodes one message at the Writer's position and back-fills its length. Many messages can be
 * appended to the same Writer (one socket write per batch).
 */
export function encodeMessage(w: Writer, msg: OfMessage): void {
  const start = w.pos;
  try {
    // FLOW_MOD first: it is the message we send by the thousand.
    if (msg.type === 'flow_mod') {
      beginMessage(w, msg.version, T.FLOW_MOD, msg.xid);
      encodeFlowModBody(w, msg);
    } else {
      beginMessage(w, msg.version, wireType(msg), msg.xid);
      encodeBody(w, msg);
    }
    endMessage(w, start);
  } catch (e) {
    // Drop the partial message so the batch already in the Writer stays sendable.
    w.pos = start;
    throw e;
  }
}

// One scratch Writer for single-message encodes: the result is copied out, so reuse is safe.
const scratch = new Writer(4096);

export function encodeMessageToBuffer(msg: OfMessage): Buffer {
  scratch.reset();
  encodeMessage(scratch, msg);
  return scratch.copyFrom(0);
}

/** The ofp_header type of a message: experimenter-based ones (NX, ONF bundles in OF1.3) are type 4. */
function wireType(msg: OfMessage): number {
  switch (msg.type) {
    case 'hello':
      return T.HELLO;
    case 'error':
      return T.ERROR;
    case 'echo_request':
      return T.ECHO_REQUEST;
    case 'echo_reply':
      return T.ECHO_REPLY;
    case 'experimenter':
    case 'nx_packet_in2':
    case 'nx_resume':
    case 'nx_set_packet_in_format':
    case 'nx_set_controller_id':
      return T.EXPERIMENTER;
    case 'features_request':
      return T.FEATURES_REQUEST;
    case 'features_reply':
      return T.FEATURES_REPLY;
    case 'get_config_request':
      return T.GET_CONFIG_REQUEST;
    case 'get_config_reply':
      return T.GET_CONFIG_REPLY;
    case 'set_config':
      return T.SET_CONFIG;
    case 'packet_in':
      return T.PACKET_IN;
    case 'flow_removed':
      return T.FLOW_REMOVED;
    case 'port_status':
      return T.PORT_STATUS;
    case 'packet_out':
      return T.PACKET_OUT;
    case 'flow_mod':
      return T.FLOW_MOD;
    case 'group_mod':
      return T.GROUP_MOD;
    case 'port_mod':
      return T.PORT_MOD;
    case 'table_mod':
      return T.TABLE_MOD;
    case 'meter_mod':
      return T.METER_MOD;
    case 'multipart_request':
      return T.MULTIPART_REQUEST;
    case 'multipart_reply':
      return T.MULTIPART_REPLY;
    case 'barrier_request':
      return T.BARRIER_REQUEST;
    case 'barrier_reply':
      return T.BARRIER_REPLY;
    case 'role_request':
      return T.ROLE_REQUEST;
    case 'role_reply':
      return T.ROLE_REPLY;
    case 'get_async_request':
      return T.GET_ASYNC_REQUEST;
    case 'get_async_reply':
      return T.GET_ASYNC_REPLY;
    case 'set_async':
      return T.SET_ASYNC;
    case 'bundle_control':
      return msg.version >= OFP14_VERSION ? T.BUNDLE_CONTROL : T.EXPERIMENTER;
    case 'bundle_add_message':
      return msg.version >= OFP14_VERSION ? T.BUNDLE_ADD_MESSAGE : T.EXPERIMENTER;
    case 'unknown':
      return msg.rawType;
  }
}

function encodeBody(w: Writer, msg: OfMessage): void {
  switch (msg.type) {
    case 'hello':
      return simple.encodeHelloBody(w, msg);
    case 'error':
      return simple.encodeErrorBody(w, msg);
    case 'echo_request':
    case 'echo_reply':
      return w.bytes(msg.data);
    case 'experimenter':
      w.u32(msg.experimenter);
      w.u32(msg.expType);
      return w.bytes(msg.data);
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
    case 'get_async_request':
      return;
    case 'features_reply':
      return simple.encodeFeaturesReplyBody(w, msg);
    case 'get_config_reply':
    case 'set_config':
      w.u16(msg.flags);
      return w.u16(msg.missSendLen);
    case 'packet_in':
      return ev.encodePacketInBody(w, msg);
    case 'flow_removed':
      return ev.encodeFlowRemovedBody(w, msg);
    case 'port_status':
      return ev.encodePortStatusBody(w, msg);
    case 'packet_out':
      return ev.encodePacketOutBody(w, msg);
    case 'flow_mod':
      return encodeFlowModBody(w, msg);
    case 'group_mod':
      return mods.encodeGroupModBody(w, msg);
    case 'port_mod':
      return mods.encodePortModBody(w, msg);
    case 'table_mod':
      return mods.encodeTableModBody(w, msg);
    case 'meter_mod':
      return mods.encodeMeterModBody(w, msg);
    case 'multipart_request':
      return encodeMultipartRequestBody(w, msg);
    case 'multipart_reply':
      return encodeMultipartReplyBody(w, msg);
    case 'role_request':
    case 'role_reply':
      return simple.encodeRoleBody(w, msg);
    case 'get_async_reply':
    case 'set_async':
      return simple.encodeAsyncBody(w, msg);
    case 'bundle_control':
      if (msg.version < OFP14_VERSION) experimenterHeader(w, ONF_VENDOR_ID, ONFT_BUNDLE_CONTROL);
      return encodeBundleControlBody(w, msg);
    case 'bundle_add_message':
      if (msg.version < OFP14_VERSION) experimenterHeader(w, ONF_VENDOR_ID, ONFT_BUNDLE_ADD_MESSAGE);
      return encodeBundleAddBody(w, msg, encodeMessage);
    case 'nx_packet_in2':
      experimenterHeader(w, NX_VENDOR_ID, NxtSubtype.PACKET_IN2);
      return nx.encodePacketIn2Props(w, msg);
    case 'nx_resume':
      experimenterHeader(w, NX_VENDOR_ID, NxtSubtype.RESUME);
      return nx.encodePacketIn2Props(w, msg);
    case 'nx_set_packet_in_format':
      experimenterHeader(w, NX_VENDOR_ID, NxtSubtype.SET_PACKET_IN_FORMAT);
      return w.u32(msg.format);
    case 'nx_set_controller_id':
      experimenterHeader(w, NX_VENDOR_ID, NxtSubtype.SET_CONTROLLER_ID);
      return nx.encodeSetControllerIdBody(w, msg);
    case 'unknown':
      return w.bytes(msg.body);
    default:
      throw new EncodeError(`cannot encode message ${(msg as { type: string }).type}`);
  }
}

function experimenterHeader(w: Writer, experimenter: number, expType: number): void {
  w.u32(experimenter);
  w.u32(expType);
}

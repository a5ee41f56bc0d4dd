import type { Writer } from '../bytes.js';
import { EncodeError } from '../errors.js';
import { NX_VENDOR_ID, NXAST, OFPAT } from './codes.js';
import { portTo16 } from './ports.js';
import type { Action } from './types.js';
import { encodeController } from './controller.js';
import { encodeCt, encodeNat } from './ct.js';
import { encodeLearn } from './learn.js';
import {
  encodeSetField,
  encodeRegLoad,
  encodeRegMove,
  encodeOutputReg,
  encodeStack,
  encodeCheckPktLarger,
} from './field-actions.js';
import { encodeSample } from './sample.js';
import { encodeDecap, encodeDeleteField, encodeEncap } from './encap.js';
import { encodeBundle, encodeMultipath } from './balance.js';

export function encodeActions(w: Writer, actions: readonly Action[]): void {
  for (let i = 0; i < actions.length; i++) encodeAction(w, actions[i]);
}

/** Writes the 10-byte Nicira header with a zero length; `endAction` back-fills it. */
export function nxHeader(w: Writer, subtype: number): number {
  const start = w.pos;
  w.u16(OFPAT.EXPERIMENTER);
  w.u16(0);
  w.u32(NX_VENDOR_ID);
  w.u16(subtype);
  return start;
}

/** Writes n (< 8) zero bytes one by one: cheaper than Buffer.fill for the few bytes of action padding. */
export function pad(w: Writer, n: number): void {
  w.ensure(n);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) b[p++] = 0;
  w.pos = p;
}

/** Pads the action to a multiple of 8 and back-fills its length. */
export function endAction(w: Writer, start: number): void {
  const rem = (w.pos - start) & 7;
  if (rem) pad(w, 8 - rem);
  const len = w.pos - start;
  if (len > 0xffff) throw new EncodeError(`action is ${len} bytes, more than an action length can say`);
  w.patchU16(start + 2, len);
}

function fixed8(w: Writer, type: number): void {
  w.u16(type);
  w.u16(8);
  w.u32(0);
}

function u16Action(w: Writer, type: number, v: number): void {
  w.u16(type);
  w.u16(8);
  w.u16(v);
  w.u16(0);
}

function u8Action(w: Writer, type: number, v: number): void {
  w.u16(type);
  w.u16(8);
  w.u32((v & 0xff) * 0x1000000);
}

function u32Action(w: Writer, type: number, v: number): void {
  w.u16(type);
  w.u16(8);
  w.u32(v);
}

/** A Nicira action with no body beyond the 16-byte header (pop_queue, exit, ct_clear, dec_ttl). */
function nxVoid(w: Writer, subtype: number): void {
  const s = nxHeader(w, subtype);
  endAction(w, s);
}

export function encodeAction(w: Writer, a: Action): void {
  switch (a.type) {
    case 'output':
      w.u16(OFPAT.OUTPUT);
      w.u16(16);
      w.u32(a.port);
      w.u16(a.maxLen);
      pad(w, 6);
      return;
    case 'set_field':
      encodeSetField(w, a);
      return;
    case 'resubmit': {
      // OVS itself always sends NXAST_RESUBMIT_TABLE; the old form is kept only when it came in that way.
      const plain = a.wire === 'resubmit' && a.table === 255 && !a.ct;
      const s = nxHeader(w, plain ? NXAST.RESUBMIT : a.ct ? NXAST.RESUBMIT_TABLE_CT : NXAST.RESUBMIT_TABLE);
      w.u16(portTo16(a.port));
      w.u8(plain ? 0 : a.table);
      endAction(w, s);
      return;
    }
    case 'ct':
      encodeCt(w, a);
      return;
    case 'push_vlan':
      u16Action(w, OFPAT.PUSH_VLAN, a.ethertype);
      return;
    case 'pop_vlan':
      fixed8(w, OFPAT.POP_VLAN);
      return;
    case 'group':
      u32Action(w, OFPAT.GROUP, a.groupId);
      return;
    case 'set_queue':
      u32Action(w, OFPAT.SET_QUEUE, a.queueId);
      return;
    case 'copy_ttl_out':
      fixed8(w, OFPAT.COPY_TTL_OUT);
      return;
    case 'copy_ttl_in':
      fixed8(w, OFPAT.COPY_TTL_IN);
      return;
    case 'set_mpls_ttl':
      u8Action(w, OFPAT.SET_MPLS_TTL, a.ttl);
      return;
    case 'dec_mpls_ttl':
      fixed8(w, OFPAT.DEC_MPLS_TTL);
      return;
    case 'push_mpls':
      u16Action(w, OFPAT.PUSH_MPLS, a.ethertype);
      return;
    case 'pop_mpls':
      u16Action(w, OFPAT.POP_MPLS, a.ethertype);
      return;
    case 'set_nw_ttl':
      u8Action(w, OFPAT.SET_NW_TTL, a.ttl);
      return;
    case 'dec_nw_ttl':
      fixed8(w, OFPAT.DEC_NW_TTL);
      return;
    case 'push_pbb':
      u16Action(w, OFPAT.PUSH_PBB, a.ethertype);
      return;
    case 'pop_pbb':
      fixed8(w, OFPAT.POP_PBB);
      return;
    case 'nat':
      encodeNat(w, a);
      return;
    case 'reg_load':
      encodeRegLoad(w, a.dst, a.value);
      return;
    case 'move':
      encodeRegMove(w, a);
      return;
    case 'pop_queue':
      nxVoid(w, NXAST.POP_QUEUE);
      return;
    case 'exit':
      nxVoid(w, NXAST.EXIT);
      return;
    case 'ct_clear':
      nxVoid(w, NXAST.CT_CLEAR);
      return;
    case 'dec_ttl_cnt_ids': {
      const s = nxHeader(w, NXAST.DEC_TTL_CNT_IDS);
      w.u16(a.ids.length);
      w.zeros(4);
      for (const id of a.ids) w.u16(id);
      endAction(w, s);
      return;
    }
    case 'set_tunnel': {
      const s = nxHeader(w, a.wide ? NXAST.SET_TUNNEL64 : NXAST.SET_TUNNEL);
      if (a.wide) {
        w.zeros(6);
        w.u64(a.tunId);
      } else {
        if (a.tunId > 0xffffffffn) throw new EncodeError(`set_tunnel ${a.tunId} needs the 64-bit form`);
        w.zeros(2);
        w.u32(Number(a.tunId));
      }
      endAction(w, s);
      return;
    }
    case 'note': {
      const s = nxHeader(w, NXAST.NOTE);
      w.bytes(a.data);
      endAction(w, s);
      return;
    }
    case 'conjunction': {
      const s = nxHeader(w, NXAST.CONJUNCTION);
      w.u8(a.clause - 1);
      w.u8(a.nClauses);
      w.u32(a.id);
      endAction(w, s);
      return;
    }
    case 'output_reg':
      encodeOutputReg(w, a);
      return;
    case 'output_trunc': {
      const s = nxHeader(w, NXAST.OUTPUT_TRUNC);
      w.u16(portTo16(a.port));
      w.u32(a.maxLen);
      endAction(w, s);
      return;
    }
    case 'fin_timeout': {
      const s = nxHeader(w, NXAST.FIN_TIMEOUT);
      w.u16(a.idleTimeout);
      w.u16(a.hardTimeout);
      endAction(w, s);
      return;
    }
    case 'controller':
      encodeController(w, a);
      return;
    case 'clone': {
      const s = nxHeader(w, NXAST.CLONE);
      w.zeros(6);
      encodeActions(w, a.actions);
      endAction(w, s);
      return;
    }
    case 'learn':
      encodeLearn(w, a);
      return;
    case 'stack_push':
    case 'stack_pop':
      encodeStack(w, a.sf, a.type === 'stack_push');
      return;
    case 'multipath':
      encodeMultipath(w, a);
      return;
    case 'bundle':
      encodeBundle(w, a);
      return;
    case 'sample':
      encodeSample(w, a);
      return;
    case 'check_pkt_larger':
      encodeCheckPktLarger(w, a);
      return;
    case 'encap':
      encodeEncap(w, a);
      return;
    case 'decap':
      encodeDecap(w, a);
      return;
    case 'delete_field':
      encodeDeleteField(w, a.field);
      return;
    case 'raw':
      if (a.bytes.length < 8 || a.bytes.length % 8) throw new EncodeError(`raw action of ${a.bytes.length} bytes is not 8-aligned`);
      w.bytes(a.bytes);
      return;
  }
}

import type { Reader } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { NX_VENDOR_ID, NXAST, OFPAT } from './codes.js';
import { portFrom16 } from './ports.js';
import type { Action } from './types.js';
import { decodeController, decodeController2 } from './controller.js';
import { decodeCt, decodeNat } from './ct.js';
import { decodeLearn } from './learn.js';
import {
  decodeSetField,
  decodeRegLoad,
  decodeRegLoad2,
  decodeRegMove,
  decodeOutputReg,
  decodeOutputReg2,
  decodeStack,
  decodeCheckPktLarger,
} from './field-actions.js';
import { decodeSample } from './sample.js';
import { decodeDecap, decodeDeleteField, decodeEncap } from './encap.js';
import { decodeBundle, decodeMultipath } from './balance.js';

/** Returned by a decoder for a well-formed action it does not model (e.g. an unknown field): kept as raw bytes. */
const KEEP_RAW = null;

/**
 * Decodes an action list. `r` must be confined to the list (the parent's length);
 * every action must be 8-aligned and lie wholly inside it.
 */
export function decodeActions(r: Reader): Action[] {
  const out: Action[] = [];
  while (r.pos < r.end) out.push(decodeAction(r));
  return out;
}

function decodeAction(r: Reader): Action {
  const start = r.pos;
  if (r.end - start < 8) throw new DecodeError(`truncated action header: ${r.end - start} bytes left`, start);
  const b = r.buf;
  const type = (b[start] << 8) | b[start + 1];
  const len = (b[start + 2] << 8) | b[start + 3];
  if (len < 8 || len % 8 !== 0) throw new DecodeError(`action length ${len} is not a positive multiple of 8`, start);
  if (len > r.end - start) throw new DecodeError(`action length ${len} overruns its list (${r.end - start} left)`, start);
  const savedEnd = r.end;
  const stop = start + len;
  r.end = stop;
  try {
    r.pos = start + 4;
    const a = type === OFPAT.EXPERIMENTER ? decodeExperimenter(r, len) : decodeStandard(r, type, len);
    // Bytes left inside the declared length are padding: ignored, as OVS does.
    return a === KEEP_RAW ? { type: 'raw', bytes: b.slice(start, stop) } : a;
  } finally {
    r.end = savedEnd;
    r.pos = stop;
  }
}

function fixedLen(len: number, want: number, what: string, at: number): void {
  if (len !== want) throw new DecodeError(`${what} action has length ${len}, expected ${want}`, at);
}

function decodeStandard(r: Reader, type: number, len: number): Action | null {
  const at = r.pos - 4;
  switch (type) {
    case OFPAT.OUTPUT: {
      fixedLen(len, 16, 'output', at);
      const port = r.u32();
      const maxLen = r.u16();
      r.skip(6);
      return { type: 'output', port, maxLen };
    }
    case OFPAT.SET_FIELD:
      return decodeSetField(r);
    case OFPAT.PUSH_VLAN:
      fixedLen(len, 8, 'push_vlan', at);
      return { type: 'push_vlan', ethertype: r.u16() };
    case OFPAT.POP_VLAN:
      fixedLen(len, 8, 'pop_vlan', at);
      return { type: 'pop_vlan' };
    case OFPAT.GROUP:
      fixedLen(len, 8, 'group', at);
      return { type: 'group', groupId: r.u32() };
    case OFPAT.SET_QUEUE:
      fixedLen(len, 8, 'set_queue', at);
      return { type: 'set_queue', queueId: r.u32() };
    case OFPAT.COPY_TTL_OUT:
      fixedLen(len, 8, 'copy_ttl_out', at);
      return { type: 'copy_ttl_out' };
    case OFPAT.COPY_TTL_IN:
      fixedLen(len, 8, 'copy_ttl_in', at);
      return { type: 'copy_ttl_in' };
    case OFPAT.SET_MPLS_TTL:
      fixedLen(len, 8, 'set_mpls_ttl', at);
      return { type: 'set_mpls_ttl', ttl: r.u8() };
    case OFPAT.DEC_MPLS_TTL:
      fixedLen(len, 8, 'dec_mpls_ttl', at);
      return { type: 'dec_mpls_ttl' };
    case OFPAT.PUSH_MPLS:
      fixedLen(len, 8, 'push_mpls', at);
      return { type: 'push_mpls', ethertype: r.u16() };
    case OFPAT.POP_MPLS:
      fixedLen(len, 8, 'pop_mpls', at);
      return { type: 'pop_mpls', ethertype: r.u16() };
    case OFPAT.SET_NW_TTL:
      fixedLen(len, 8, 'set_nw_ttl', at);
      return { type: 'set_nw_ttl', ttl: r.u8() };
    case OFPAT.DEC_NW_TTL:
      fixedLen(len, 8, 'dec_nw_ttl', at);
      return { type: 'dec_nw_ttl' };
    case OFPAT.PUSH_PBB:
      fixedLen(len, 8, 'push_pbb', at);
      return { type: 'push_pbb', ethertype: r.u16() };
    case OFPAT.POP_PBB:
      fixedLen(len, 8, 'pop_pbb', at);
      return { type: 'pop_pbb' };
    default:
      return KEEP_RAW;
  }
}

function decodeExperimenter(r: Reader, len: number): Action | null {
  const at = r.pos - 4;
  if (r.u32() !== NX_VENDOR_ID || len < 16) return KEEP_RAW;
  const subtype = r.u16();
  switch (subtype) {
    case NXAST.RESUBMIT:
    case NXAST.RESUBMIT_TABLE:
    case NXAST.RESUBMIT_TABLE_CT: {
      fixedLen(len, 16, 'resubmit', at);
      const port = portFrom16(r.u16());
      const table = r.u8();
      if (subtype === NXAST.RESUBMIT) return { type: 'resubmit', port, table: 255, ct: false, wire: 'resubmit' };
      return { type: 'resubmit', port, table, ct: subtype === NXAST.RESUBMIT_TABLE_CT, wire: 'resubmit_table' };
    }
    case NXAST.CT:
      return decodeCt(r, len);
    case NXAST.NAT:
      return decodeNat(r);
    case NXAST.CT_CLEAR:
      fixedLen(len, 16, 'ct_clear', at);
      return { type: 'ct_clear' };
    case NXAST.REG_LOAD:
      fixedLen(len, 24, 'reg_load', at);
      return decodeRegLoad(r);
    case NXAST.REG_LOAD2:
      return decodeRegLoad2(r);
    case NXAST.REG_MOVE:
      return decodeRegMove(r);
    case NXAST.OUTPUT_REG:
      fixedLen(len, 24, 'output_reg', at);
      return decodeOutputReg(r);
    case NXAST.OUTPUT_REG2:
      return decodeOutputReg2(r);
    case NXAST.POP_QUEUE:
      fixedLen(len, 16, 'pop_queue', at);
      return { type: 'pop_queue' };
    case NXAST.EXIT:
      fixedLen(len, 16, 'exit', at);
      return { type: 'exit' };
    case NXAST.DEC_TTL_CNT_IDS: {
      const n = r.u16();
      r.skip(4);
      if (len !== 16 + Math.ceil((n * 2) / 8) * 8) throw new DecodeError(`dec_ttl with ${n} ids has length ${len}`, at);
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push(r.u16());
      return { type: 'dec_ttl_cnt_ids', ids };
    }
    case NXAST.SET_TUNNEL:
      fixedLen(len, 16, 'set_tunnel', at);
      r.skip(2);
      return { type: 'set_tunnel', tunId: BigInt(r.u32()), wide: false };
    case NXAST.SET_TUNNEL64:
      fixedLen(len, 24, 'set_tunnel64', at);
      r.skip(6);
      return { type: 'set_tunnel', tunId: r.u64(), wide: true };
    case NXAST.NOTE:
      return { type: 'note', data: r.copy(r.end - r.pos, 'note') };
    case NXAST.CONJUNCTION: {
      fixedLen(len, 16, 'conjunction', at);
      const clause = r.u8() + 1;
      const nClauses = r.u8();
      return { type: 'conjunction', id: r.u32(), clause, nClauses };
    }
    case NXAST.OUTPUT_TRUNC: {
      fixedLen(len, 16, 'output_trunc', at);
      const port = portFrom16(r.u16());
      return { type: 'output_trunc', port, maxLen: r.u32() };
    }
    case NXAST.FIN_TIMEOUT: {
      fixedLen(len, 16, 'fin_timeout', at);
      const idleTimeout = r.u16();
      return { type: 'fin_timeout', idleTimeout, hardTimeout: r.u16() };
    }
    case NXAST.CONTROLLER:
      fixedLen(len, 16, 'controller', at);
      return decodeController(r);
    case NXAST.CONTROLLER2:
      return decodeController2(r);
    case NXAST.CLONE:
      r.skip(6);
      return { type: 'clone', actions: decodeActions(r) };
    case NXAST.LEARN:
    case NXAST.LEARN2:
      return decodeLearn(r, subtype === NXAST.LEARN2);
    case NXAST.STACK_PUSH:
    case NXAST.STACK_POP:
      return decodeStack(r, subtype === NXAST.STACK_PUSH);
    case NXAST.MULTIPATH:
      fixedLen(len, 32, 'multipath', at);
      return decodeMultipath(r);
    case NXAST.BUNDLE:
    case NXAST.BUNDLE_LOAD:
      return decodeBundle(r, subtype === NXAST.BUNDLE_LOAD);
    case NXAST.SAMPLE:
    case NXAST.SAMPLE2:
    case NXAST.SAMPLE3:
      return decodeSample(r, subtype, len);
    case NXAST.CHECK_PKT_LARGER:
      return decodeCheckPktLarger(r);
    case NXAST.ENCAP:
      return decodeEncap(r);
    case NXAST.DECAP:
      fixedLen(len, 16, 'decap', at);
      return decodeDecap(r);
    case NXAST.DELETE_FIELD:
      return decodeDeleteField(r);
    default:
      return KEEP_RAW;
  }
}

import { ParseError } from '../errors.js';
import { OFPP } from './codes.js';
import { parseController } from './controller.js';
import { parseCt, parseNat } from './ct.js';
import { parseCheckPktLarger, parseMove, parseRegLoad, parseSetField, valueToBig } from './field-actions.js';
import { parseBundle, parseMultipath } from './balance.js';
import { parseLearn } from './learn.js';
import { fieldByName, ipv4, parseSubfield, parseValue } from './oxm.js';
import { parsePort, parseBigUint, parseUint } from './ports.js';
import { parseSample } from './sample.js';
import { parseDecap, parseDeleteField, parseEncap } from './encap.js';
import { parseHexBytes, splitKeyValues, type KeyValue } from './text.js';
import type { Action } from './types.js';

/**
 * What the flow's match says, for the few actions whose wire form depends on it: mod_tp_* (tcp/udp/sctp by
 * ipProto) and mod_vlan_vid/mod_vlan_pcp (OVS pushes a VLAN header first unless `vlan`: the match requires one).
 */
export interface ParseContext {
  ipProto?: number;
  vlan?: boolean;
}

/** Packet state while walking an action list: whether a VLAN header is present at this point. */
export interface ParseState {
  ipProto?: number;
  vlan: boolean;
}

export function parseState(ctx: ParseContext): ParseState {
  return { ipProto: ctx.ipProto, vlan: ctx.vlan ?? false };
}

/** ovs-ofctl action text -> the actions ovs-ofctl would send in OpenFlow 1.3. Instructions are rejected here. */
export function parseActions(text: string, ctx: ParseContext = {}): Action[] {
  const out: Action[] = [];
  const state = parseState(ctx);
  const items = splitKeyValues(text, { arrowTails: true });
  checkDropAlone(items);
  for (const kv of items) parseAction(kv, out, state);
  return out;
}

/** ovs-ofctl: `"drop" must not be accompanied by any other action or instruction`. */
export function checkDropAlone(items: readonly KeyValue[]): void {
  if (items.length > 1 && items.some((kv) => kv.key.toLowerCase() === 'drop' && kv.delim === '')) {
    throw new ParseError('"drop" must not be accompanied by any other action or instruction');
  }
}

function setField(name: string, value: string): Action {
  const field = fieldByName(name);
  if (!field) throw new ParseError(`unknown field ${name}`);
  return { type: 'set_field', field, value: parseValue(field, value).value };
}

function num(v: string, max: number, what: string): number {
  return parseUint(v, max, what);
}

function arrowTail(kv: KeyValue): string {
  return kv.rest ?? '';
}

/** `output:PORT`, `output:SUBFIELD`, `output(port=P,max_len=N)`. */
function parseOutput(kv: KeyValue): Action {
  if (kv.delim === '(') {
    let port: number | undefined;
    let maxLen: number | undefined;
    for (const o of splitKeyValues(kv.value)) {
      if (o.key === 'port') port = parsePort(o.value, 'output to unknown truncate port');
      else if (o.key === 'max_len') maxLen = num(o.value, 0xffffffff, 'output max_len');
      else throw new ParseError(`unknown output option "${o.key}"`);
    }
    if (port === undefined || maxLen === undefined) throw new ParseError('output(...) needs port and max_len');
    return { type: 'output_trunc', port, maxLen };
  }
  if (kv.value.includes('[')) return { type: 'output_reg', src: parseSubfield(kv.value), maxLen: 0xffff };
  const port = parsePort(kv.value, 'output to unknown port');
  return { type: 'output', port, maxLen: port === OFPP.CONTROLLER ? 0xffff : 0 };
}

/** `resubmit:PORT`, `resubmit([PORT],[TABLE][,ct])`. */
function parseResubmit(kv: KeyValue): Action {
  if (kv.delim !== '(') return { type: 'resubmit', port: parsePort(kv.value, 'resubmit to unknown port'), table: 255, ct: false };
  const parts = kv.value.split(',');
  const port = parts[0] ? parsePort(parts[0], 'resubmit to unknown port') : OFPP.IN_PORT;
  const table = parts[1] ? num(parts[1], 255, 'resubmit table') : 255;
  const ct = parts[2] === 'ct';
  if (parts.length > 3 || (parts.length === 3 && !ct)) throw new ParseError(`bad resubmit "${kv.value}"`);
  if (port === OFPP.IN_PORT && table === 255) throw new ParseError('at least one "in_port" or "table" must be specified on resubmit');
  return { type: 'resubmit', port, table, ct };
}

function parseTpField(ctx: ParseState, dir: 'src' | 'dst'): string {
  const proto = ctx.ipProto === 17 ? 'udp' : ctx.ipProto === 132 ? 'sctp' : 'tcp';
  return `${proto}_${dir}`;
}

/** OVS refuses push_vlan of anything but 802.1Q/802.1ad, and cannot decode a push_mpls of a non-MPLS type. */
const VLAN_ETHERTYPES = [0x8100, 0x88a8];
const MPLS_ETHERTYPES = [0x8847, 0x8848];

function ethertypeOf(v: string, allowed: readonly number[], what: string, kind: string): number {
  const t = num(v, 0xffff, what);
  if (!allowed.includes(t)) throw new ParseError(`${what}: ${v} is not a valid ${kind} ethertype`);
  return t;
}

export function parseAction(kv: KeyValue, out: Action[], ctx: ParseState): void {
  const v = kv.value;
  // Only check_pkt_larger(...) is followed by more text (`->dst`).
  if (kv.rest !== undefined && kv.key.toLowerCase() !== 'check_pkt_larger') {
    throw new ParseError(`unexpected "${kv.rest}" after ${kv.key}(${v})`);
  }
  switch (kv.key.toLowerCase()) {
    case 'output':
      out.push(parseOutput(kv));
      return;
    case 'controller':
      out.push(parseController(v, kv.delim));
      return;
    case 'enqueue': {
      // OF1.3 has no enqueue: OVS sends set_queue, output (max_len 0xffff), pop_queue.
      const [port, queue] = v.split(/[:,]/);
      out.push({ type: 'set_queue', queueId: num(queue, 0xffffffff, 'enqueue queue') }, { type: 'output', port: parsePort(port, 'enqueue to unknown port'), maxLen: 0xffff }, { type: 'pop_queue' });
      return;
    }
    case 'drop':
      return;
    case 'set_field': {
      const a = parseSetField(v);
      // A zero mask sets nothing: ovs-ofctl drops the action.
      if (a.mask === undefined || valueToBig(a.mask) !== 0n) out.push(a);
      return;
    }
    case 'load':
      out.push(...parseRegLoad(v));
      return;
    case 'move':
      out.push(parseMove(v));
      return;
    case 'resubmit':
      out.push(parseResubmit(kv));
      return;
    case 'ct':
      out.push(parseCt(kv.delim === '(' ? v : ''));
      return;
    case 'nat':
      out.push(parseNat(kv.delim === '(' ? v : ''));
      return;
    case 'ct_clear':
      out.push({ type: 'ct_clear' });
      return;
    case 'push_vlan':
      out.push({ type: 'push_vlan', ethertype: ethertypeOf(v, VLAN_ETHERTYPES, 'push_vlan', 'VLAN') });
      ctx.vlan = true;
      return;
    case 'pop_vlan':
    case 'strip_vlan':
      out.push({ type: 'pop_vlan' });
      ctx.vlan = false;
      return;
    case 'push_mpls':
      out.push({ type: 'push_mpls', ethertype: ethertypeOf(v, MPLS_ETHERTYPES, 'push_mpls', 'MPLS') });
      return;
    case 'pop_mpls':
      out.push({ type: 'pop_mpls', ethertype: num(v, 0xffff, 'pop_mpls') });
      return;
    case 'push_pbb':
      out.push({ type: 'push_pbb', ethertype: num(v, 0xffff, 'push_pbb') });
      return;
    case 'pop_pbb':
      out.push({ type: 'pop_pbb' });
      return;
    case 'copy_ttl_out':
      out.push({ type: 'copy_ttl_out' });
      return;
    case 'copy_ttl_in':
      out.push({ type: 'copy_ttl_in' });
      return;
    case 'set_queue':
      out.push({ type: 'set_queue', queueId: num(v, 0xffffffff, 'set_queue') });
      return;
    case 'pop_queue':
      out.push({ type: 'pop_queue' });
      return;
    case 'group':
      out.push({ type: 'group', groupId: num(v, 0xffffffff, 'group') });
      return;
    case 'mod_nw_ttl':
      out.push({ type: 'set_nw_ttl', ttl: num(v, 255, 'mod_nw_ttl') });
      return;
    case 'dec_ttl':
      if (kv.delim === '(') out.push({ type: 'dec_ttl_cnt_ids', ids: v.split(',').map((id) => num(id, 0xffff, 'dec_ttl id')) });
      else out.push({ type: 'dec_nw_ttl' });
      return;
    case 'set_mpls_ttl':
      out.push({ type: 'set_mpls_ttl', ttl: num(v, 255, 'set_mpls_ttl') });
      return;
    case 'dec_mpls_ttl':
      out.push({ type: 'dec_mpls_ttl' });
      return;
    // Pre-OF1.2 "mod_*" actions: OVS sends them as set_field in OF1.3.
    case 'mod_dl_src':
      out.push(setField('eth_src', v));
      return;
    case 'mod_dl_dst':
      out.push(setField('eth_dst', v));
      return;
    case 'mod_nw_src':
      out.push({ type: 'set_field', field: fieldByName('ip_src')!, value: ipv4(v) });
      return;
    case 'mod_nw_dst':
      out.push({ type: 'set_field', field: fieldByName('ip_dst')!, value: ipv4(v) });
      return;
    case 'mod_nw_tos': {
      const tos = num(v, 255, 'mod_nw_tos');
      if (tos & 3) throw new ParseError(`mod_nw_tos: ${v} has ECN bits set`);
      out.push({ type: 'set_field', field: fieldByName('ip_dscp')!, value: tos >> 2 });
      return;
    }
    case 'mod_nw_ecn':
      out.push({ type: 'set_field', field: fieldByName('nw_ecn')!, value: num(v, 3, 'mod_nw_ecn') });
      return;
    case 'mod_tp_src':
      out.push({ type: 'set_field', field: fieldByName(parseTpField(ctx, 'src'))!, value: num(v, 0xffff, 'mod_tp_src') });
      return;
    case 'mod_tp_dst':
      out.push({ type: 'set_field', field: fieldByName(parseTpField(ctx, 'dst'))!, value: num(v, 0xffff, 'mod_tp_dst') });
      return;
    case 'mod_vlan_vid':
      pushVlanIfNeeded(out, ctx);
      // OFPVID_PRESENT is part of the OF1.3 value.
      out.push({ type: 'set_field', field: fieldByName('vlan_vid')!, value: num(v, 0xfff, 'mod_vlan_vid') | 0x1000 });
      return;
    case 'mod_vlan_pcp':
      pushVlanIfNeeded(out, ctx);
      out.push({ type: 'set_field', field: fieldByName('vlan_pcp')!, value: num(v, 7, 'mod_vlan_pcp') });
      return;
    case 'set_mpls_label':
      out.push({ type: 'set_field', field: fieldByName('mpls_label')!, value: num(v, 0xfffff, 'set_mpls_label') });
      return;
    case 'set_mpls_tc':
      out.push({ type: 'set_field', field: fieldByName('mpls_tc')!, value: num(v, 7, 'set_mpls_tc') });
      return;
    case 'set_tunnel':
    case 'set_tunnel64':
      out.push({ type: 'set_field', field: fieldByName('tun_id')!, value: parseBigUint(v, 64, kv.key) });
      return;
    case 'note':
      out.push({ type: 'note', data: notePayload(parseHexBytes(v, 'note')) });
      return;
    case 'exit':
      out.push({ type: 'exit' });
      return;
    case 'conjunction': {
      const m = /^\s*([^,]+),\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
      if (!m) throw new ParseError(`bad conjunction "${v}"`);
      const clause = Number(m[2]);
      const nClauses = Number(m[3]);
      if (nClauses < 2 || nClauses > 64 || clause < 1 || clause > nClauses) throw new ParseError(`bad conjunction clause ${clause}/${nClauses}`);
      out.push({ type: 'conjunction', id: num(m[1], 0xffffffff, 'conjunction id'), clause, nClauses });
      return;
    }
    case 'fin_timeout': {
      const a: Action = { type: 'fin_timeout', idleTimeout: 0, hardTimeout: 0 };
      for (const o of splitKeyValues(v)) {
        if (o.key === 'idle_timeout') a.idleTimeout = num(o.value, 0xffff, 'fin idle_timeout');
        else if (o.key === 'hard_timeout') a.hardTimeout = num(o.value, 0xffff, 'fin hard_timeout');
        else throw new ParseError(`unknown fin_timeout option "${o.key}"`);
      }
      out.push(a);
      return;
    }
    case 'clone':
      out.push({ type: 'clone', actions: parseActions(v, ctx) });
      return;
    case 'learn':
      out.push(parseLearn(v));
      return;
    case 'push':
      out.push({ type: 'stack_push', sf: parseSubfield(v) });
      return;
    case 'pop':
      out.push({ type: 'stack_pop', sf: parseSubfield(v) });
      return;
    case 'multipath':
      out.push(parseMultipath(v));
      return;
    case 'bundle':
      out.push(parseBundle(v, false));
      return;
    case 'bundle_load':
      out.push(parseBundle(v, true));
      return;
    case 'sample':
      out.push(parseSample(v));
      return;
    case 'encap':
      out.push(parseEncap(v));
      return;
    case 'decap':
      out.push(parseDecap(v));
      return;
    case 'delete_field':
      out.push(parseDeleteField(v));
      return;
    case 'check_pkt_larger':
      out.push(parseCheckPktLarger(v, arrowTail(kv)));
      return;
    case 'goto_table':
    case 'write_metadata':
    case 'meter':
    case 'clear_actions':
    case 'write_actions':
      throw new ParseError(`${kv.key} is an instruction, not an action`);
    default:
      // A bare port: "1", "LOCAL", "IN_PORT", "NORMAL"...
      if (kv.delim === '') {
        out.push(parseOutput({ key: 'output', value: kv.key, delim: ':' }));
        return;
      }
      throw new ParseError(`unknown action "${kv.key}"`);
  }
}

/** The pre-OF1.1 VLAN actions add a header when there is none, as OVS does. */
function pushVlanIfNeeded(out: Action[], ctx: ParseState): void {
  if (ctx.vlan) return;
  out.push({ type: 'push_vlan', ethertype: 0x8100 });
  ctx.vlan = true;
}

/** The note payload is padded with zeros so the action (10-byte header + payload) fills a multiple of 8 bytes. */
function notePayload(data: Uint8Array): Uint8Array {
  const total = Math.max(16, Math.ceil((10 + data.length) / 8) * 8);
  const out = new Uint8Array(total - 10);
  out.set(data);
  return out;
}

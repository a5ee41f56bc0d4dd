import { EncodeError } from '../errors.js';
import type { OxmValue } from '../oxm/types.js';
import { OFPP } from './codes.js';
import { CT_COMMIT } from './ct.js';
import { fieldByName, parseSubfield } from './oxm.js';
import type { Action, CtAction, Instruction } from './types.js';

/** Small constructors for application code (the Neutron-style pipelines). */

export function output(port: number, maxLen = port === OFPP.CONTROLLER ? 0xffff : 0): Action {
  return { type: 'output', port, maxLen };
}

export function setField(name: string, value: OxmValue, mask?: OxmValue): Action {
  const field = fieldByName(name);
  if (!field) throw new EncodeError(`unknown field ${name}`);
  return mask === undefined ? { type: 'set_field', field, value } : { type: 'set_field', field, value, mask };
}

/** `load:value->NXM_NX_REG0[0..15]`. */
export function load(value: bigint | number, dst: string): Action {
  return { type: 'reg_load', dst: parseSubfield(dst), value: BigInt(value) };
}

export function move(src: string, dst: string): Action {
  return { type: 'move', src: parseSubfield(src), dst: parseSubfield(dst) };
}

export function resubmit(table: number, port: number = OFPP.IN_PORT): Action {
  return { type: 'resubmit', port, table, ct: false };
}

export function pushVlan(ethertype = 0x8100): Action {
  return { type: 'push_vlan', ethertype };
}

export function popVlan(): Action {
  return { type: 'pop_vlan' };
}

export function ct(opts: { commit?: boolean; zone?: number | string; table?: number; actions?: Action[] } = {}): CtAction {
  const a: CtAction = { type: 'ct', flags: opts.commit ? CT_COMMIT : 0, zoneImm: 0, table: opts.table ?? 255, alg: 0, actions: opts.actions ?? [] };
  if (typeof opts.zone === 'string') a.zoneSrc = parseSubfield(opts.zone);
  else if (opts.zone !== undefined) a.zoneImm = opts.zone;
  return a;
}

export function applyActions(...actions: Action[]): Instruction {
  return { type: 'apply_actions', actions };
}

export function gotoTable(tableId: number): Instruction {
  return { type: 'goto_table', tableId };
}

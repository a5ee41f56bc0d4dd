import { OFPP } from './codes.js';
import { formatController } from './controller.js';
import { formatCt, formatNat } from './ct.js';
import { formatLearn } from './learn.js';
import { formatMove, formatRegLoad, formatSetField } from './field-actions.js';
import { formatBundle, formatMultipath } from './balance.js';
import { formatSample } from './sample.js';
import { formatDecap, formatEncap } from './encap.js';
import { formatSubfield } from './oxm.js';
import { formatPort } from './ports.js';
import { formatHexBytes, hex } from './text.js';
import type { Action } from './types.js';

/** Actions as ovs-ofctl prints them; an empty list is "drop". */
export function formatActions(actions: readonly Action[]): string {
  if (actions.length === 0) return 'drop';
  let s = '';
  for (let i = 0; i < actions.length; i++) s += (i ? ',' : '') + formatAction(actions[i]);
  return s;
}

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

/** Ports below the reserved range print as output:N, reserved ones by name (CONTROLLER with its max_len). */
function formatOutput(port: number, maxLen: number): string {
  if (port === OFPP.CONTROLLER) return `CONTROLLER:${maxLen}`;
  if (port < 0xffffff00) return `output:${port}`;
  return formatPort(port);
}

function formatResubmit(a: Extract<Action, { type: 'resubmit' }>): string {
  if (a.port !== OFPP.IN_PORT && a.table === 255 && !a.ct) return `resubmit:${formatPort(a.port)}`;
  const port = a.port === OFPP.IN_PORT ? '' : formatPort(a.port);
  const table = a.table === 255 ? '' : String(a.table);
  return `resubmit(${port},${table}${a.ct ? ',ct' : ''})`;
}

export function formatAction(a: Action): string {
  switch (a.type) {
    case 'output':
      return formatOutput(a.port, a.maxLen);
    case 'set_field':
      return formatSetField(a);
    case 'resubmit':
      return formatResubmit(a);
    case 'ct':
      return formatCt(a);
    case 'push_vlan':
      return `push_vlan:${hex(a.ethertype)}`;
    case 'pop_vlan':
      return 'pop_vlan';
    case 'group':
      return `group:${a.groupId}`;
    case 'set_queue':
      return `set_queue:${a.queueId}`;
    case 'copy_ttl_out':
      return 'copy_ttl_out';
    case 'copy_ttl_in':
      return 'copy_ttl_in';
    case 'set_mpls_ttl':
      return `set_mpls_ttl(${a.ttl})`;
    case 'dec_mpls_ttl':
      return 'dec_mpls_ttl';
    case 'push_mpls':
      return `push_mpls:${hex4(a.ethertype)}`;
    case 'pop_mpls':
      return `pop_mpls:${hex4(a.ethertype)}`;
    case 'set_nw_ttl':
      return `mod_nw_ttl:${a.ttl}`;
    case 'dec_nw_ttl':
      return 'dec_ttl';
    case 'push_pbb':
      return `push_pbb:${hex4(a.ethertype)}`;
    case 'pop_pbb':
      return 'pop_pbb';
    case 'nat':
      return formatNat(a);
    case 'reg_load':
      return formatRegLoad(a);
    case 'move':
      return formatMove(a);
    case 'pop_queue':
      return 'pop_queue';
    case 'exit':
      return 'exit';
    case 'ct_clear':
      return 'ct_clear';
    case 'dec_ttl_cnt_ids':
      return `dec_ttl(${a.ids.join(',')})`;
    case 'set_tunnel':
      return `${a.wide ? 'set_tunnel64' : 'set_tunnel'}:${hex(a.tunId)}`;
    case 'note':
      return `note:${formatHexBytes(a.data)}`;
    case 'conjunction':
      return `conjunction(${a.id},${a.clause}/${a.nClauses})`;
    case 'output_reg':
      return `output:${formatSubfield(a.src)}`;
    case 'output_trunc':
      return `output(port=${formatPort(a.port)},max_len=${a.maxLen})`;
    case 'fin_timeout': {
      const parts: string[] = [];
      if (a.idleTimeout) parts.push(`idle_timeout=${a.idleTimeout}`);
      if (a.hardTimeout) parts.push(`hard_timeout=${a.hardTimeout}`);
      return `fin_timeout(${parts.join(',')})`;
    }
    case 'controller':
      return formatController(a);
    case 'clone':
      return `clone(${formatActions(a.actions)})`;
    case 'learn':
      return formatLearn(a);
    case 'stack_push':
      return `push:${formatSubfield(a.sf)}`;
    case 'stack_pop':
      return `pop:${formatSubfield(a.sf)}`;
    case 'multipath':
      return formatMultipath(a);
    case 'bundle':
      return formatBundle(a);
    case 'sample':
      return formatSample(a);
    case 'check_pkt_larger':
      return `check_pkt_larger(${a.pktLen})->${formatSubfield(a.dst)}`;
    case 'encap':
      return formatEncap(a);
    case 'decap':
      return formatDecap(a);
    case 'delete_field':
      return `delete_field:${a.field.name}`;
    case 'raw':
      // No ovs-ofctl text exists for an action OVS does not know; show the bytes.
      return `raw(${formatHexBytes(a.bytes)})`;
  }
}

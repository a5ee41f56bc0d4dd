/**
 * Flow sets for the flow-install benchmark, as ovs-ofctl text: the same lines go to
 * `ovs-ofctl --bundle add-flows` and (through parseFlow) to our reconciler.
 */
import { parseFlow } from '../src/openflow/text/flow.js';
import { desiredFromFlowMod, type DesiredFlow } from '../src/reconciler/desired-flow.js';

export type FlowVariant = 'plain' | 'ct';

/** i → a.b.c with every flow distinct (up to 16M flows). */
function octets(i: number): [number, number, number] {
  return [(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
}

function macOf(i: number): string {
  const [a, b, c] = octets(i);
  return `fa:16:3e:${[a, b, c].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

/** The notes' §5 flow: one table, IPv4 src/dst match, rewrite the destination MAC, output. */
function plainLine(i: number): string {
  const [a, b, c] = octets(i);
  return `table=0,priority=100,ip,nw_src=10.${a}.${b}.${c},nw_dst=172.16.${b}.${c},actions=set_field:${macOf(i)}->eth_dst,output:${(i % 48) + 1}`;
}

/**
 * The notes' "more realistic" set: conntrack state + reg5 + TCP 5-tuple match, a register write,
 * a committing ct() with a ct_mark, goto_table; spread over 5 tables (a firewall pipeline's shape).
 */
function ctLine(i: number): string {
  const [a, b, c] = octets(i);
  const table = 10 * ((i % 5) + 1);
  return (
    `table=${table},priority=${100 + (i % 7)},ct_state=+trk+new,reg5=0x${(i & 0xfff).toString(16)},tcp,` +
    `nw_src=10.${a}.${b}.${c},nw_dst=172.16.${b}.${c},tp_src=${1024 + (i % 60000)},tp_dst=${(i % 1000) + 1}` +
    `,actions=set_field:0x${(i & 0xffff).toString(16)}->reg6,ct(commit,zone=${(i % 4000) + 1},exec(set_field:0x${(i & 0xff).toString(16)}->ct_mark)),goto_table:60`
  );
}

export function flowLines(variant: FlowVariant, n: number): string[] {
  const line = variant === 'plain' ? plainLine : ctLine;
  return Array.from({ length: n }, (_, i) => line(i));
}

/** What an app would hand the reconciler for these lines (fresh objects: no cached encodings). */
export function desiredFlows(lines: readonly string[]): DesiredFlow[] {
  return lines.map((l) => desiredFromFlowMod(parseFlow(l)));
}

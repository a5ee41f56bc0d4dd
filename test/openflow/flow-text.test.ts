/**
 * Whole-flow text against Open vSwitch: dump-flows lines of a real bridge (fixture made by
 * `npm run fixtures:codec`), parse errors as ovs-ofctl reports them, and command words.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ParseError } from '../../src/openflow/errors.js';
import { decodeMessage, encodeMessageToBuffer, type FlowStats } from '../../src/openflow/messages/index.js';
import { formatFlowLine, formatFlowMod, parseFlow, type FlowCommandName } from '../../src/openflow/text/flow.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/codec/${name}`, import.meta.url), 'utf8'));
const DUMP = fixture('dump-flows.json') as { replies: string[]; stats: string[]; noStats: string[] };
const FLOWS = (fixture('flows.json') as { fixtures: Array<{ input: string; command: FlowCommandName; hex: string }> }).fixtures;

function flowStatsOf(hex: string): FlowStats[] {
  const msg = decodeMessage(Buffer.from(hex, 'hex'));
  if (msg.type !== 'multipart_reply' || msg.body.kind !== 'flow') throw new Error(`not a flow stats reply: ${msg.type}`);
  return msg.body.flows;
}

function ovs(args: string[]): { ok: boolean; out: string } {
  const res = spawnSync('ovs-ofctl', args, { encoding: 'utf8' });
  if (res.error) throw new Error(`ovs-ofctl is required for these tests: ${res.error.message}`);
  return { ok: res.status === 0, out: res.stdout + res.stderr };
}

describe('dump-flows lines of a real bridge', () => {
  let decoded: FlowStats[] | undefined; // decoded once, on first use, so a decode error fails tests and not collection
  const flows = (): FlowStats[] => (decoded ??= DUMP.replies.flatMap(flowStatsOf));
  const lines = DUMP.stats.map((line, i) => ({ i, line, noStats: DUMP.noStats[i] }));

  test('the reply holds exactly the dumped flows', () => {
    expect(flows()).toHaveLength(DUMP.stats.length);
  });
  for (const { i, line, noStats } of lines) {
    test(`with stats:${line}`, () => expect(formatFlowLine(flows()[i], { stats: true })).toBe(line));
    test(`--no-stats:${noStats}`, () => expect(formatFlowLine(flows()[i], { stats: false })).toBe(noStats));
  }

  // What dump-flows prints can be fed back (ovs-ofctl ignores duration, n_packets...): same flow again.
  for (const { line, noStats } of lines) {
    test(`parses back:${line}`, () => {
      const again = decodeMessage(encodeMessageToBuffer(parseFlow(line)));
      if (again.type !== 'flow_mod') throw new Error(`decoded a ${again.type}`);
      expect(formatFlowLine(again, { stats: false })).toBe(noStats);
    });
  }

  test('durations below a millisecond print as many decimals as needed, like ovs-ofctl', () => {
    const reply = Buffer.from(DUMP.replies[0], 'hex');
    for (const nsec of [0, 5_000_000, 123_456_789, 500, 120_000_000]) {
      reply.writeUInt32BE(nsec, 16 + 8); // first entry: length, table, pad, duration_sec, duration_nsec
      const printed = ovs(['ofp-print', reply.toString('hex')]).out.split('\n')[1];
      expect(formatFlowLine(flowStatsOf(reply.toString('hex'))[0], { stats: true })).toBe(printed);
    }
  });
});

describe('parse errors are the ones ovs-ofctl reports', () => {
  const bad: Array<[string, FlowCommandName]> = [
    ['ip', 'add'],
    ['ip,foo=1,actions=drop', 'add'],
    ['bar,actions=drop', 'add'],
    ['cookie=1/1,actions=drop', 'add'],
    ['cookie=1,ip', 'delete'],
    ['priority=65536,actions=drop', 'add'],
    ['priority=-1,actions=drop', 'add'],
    ['idle_timeout=,actions=drop', 'add'],
    ['table=0x5,actions=drop', 'add'],
    ['table=256,actions=drop', 'add'],
    ['priority=5,ip', 'delete'],
    ['importance=5,ip,actions=drop', 'modify'],
    ['out_port=70000', 'delete'],
    ['out_group=0xffffff01', 'delete'],
    ['out_port=4294967040x', 'delete'],
    ['out_port=5,actions=drop', 'add'],
    ['reg0[0..3]=16,actions=drop', 'add'],
    ['ip,nw_ttl[0..1]=7,actions=drop', 'add'],
    ['reg0[0..1]=x,actions=drop', 'add'],
  ];
  test.each(bad)('%s (%s)', (text, command) => {
    const verb = command === 'add' ? ['parse-flow'] : ['--no-names', command.startsWith('delete') ? 'del-flows' : 'mod-flows', 'tcp:127.0.0.1:1'];
    const oracle = ovs(['-O', 'OpenFlow13', ...verb, text]);
    expect(oracle.ok).toBe(false);
    const ovsMessage = /ovs-ofctl: (.*)/.exec(oracle.out)?.[1];
    expect(() => parseFlow(text, { command })).toThrow(ParseError);
    expect(() => parseFlow(text, { command })).toThrow(ovsMessage);
  });
});

describe('a leading command word picks the flow-mod command', () => {
  const withWord = FLOWS.filter((f) => f.command !== 'add');
  for (const { command, input, hex } of withWord) {
    test(`${command} ${input}`, () => {
      const fm = parseFlow(`${command} ${input}`);
      fm.xid = Buffer.from(hex, 'hex').readUInt32BE(4);
      expect(encodeMessageToBuffer(fm).toString('hex')).toBe(hex);
    });
  }
  test('an explicit command wins over the text, and no word means add', () => {
    expect(parseFlow('ip,actions=drop').command).toBe(0);
    expect(parseFlow('ip', { command: 'delete' }).command).toBe(3);
    expect(parseFlow('modify_strict priority=1,ip,actions=drop').command).toBe(2);
  });
});

describe('OpenFlow 1.4 flow-mods carry importance, as ovs-ofctl -O OpenFlow14 sends and prints them', () => {
  const flows = ['importance=5,priority=3,actions=drop', 'table=2,importance=65535,send_flow_rem,ip,actions=output:1', 'cookie=0x5,tcp,tp_dst=80,actions=goto_table:3'];
  for (const flow of flows) {
    test(flow, () => {
      const out = ovs(['-O', 'OpenFlow14', '-mmmmm', 'parse-flow', flow]).out.split('\n');
      const hex = out.map((l) => /^[0-9a-f]{8} {2}(.{47})/.exec(l)?.[1].replace(/[ -]/g, '') ?? '').join('');
      const text = out.find((l) => l.startsWith('OFPT_FLOW_MOD (OF1.4)'))?.replace(/^.*?\): /, '');
      const fm = parseFlow(flow, { version: 5 });
      fm.xid = 1;
      expect(encodeMessageToBuffer(fm).toString('hex')).toBe(hex);
      expect(formatFlowMod(fm)).toBe(text);
    });
  }
});

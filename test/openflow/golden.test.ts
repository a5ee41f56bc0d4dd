/**
 * The golden proof: every flow of scripts/codec-corpus.txt, encoded and printed by Open vSwitch
 * (test/fixtures/codec/flows.json, made by `npm run fixtures:codec`), must go through our codec
 * unchanged. One test case per fixture and per property, so a failure names the flow and the step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeMessage, encodeMessageToBuffer, type FlowMod } from '../../src/openflow/messages/index.js';
import { FIELDS } from '../../src/openflow/oxm/index.js';
import { formatFlowMod, parseFlow, type FlowCommandName } from '../../src/openflow/text/flow.js';

interface CodecFixture {
  input: string;
  command: FlowCommandName;
  hex: string;
  text: string;
}

const FIXTURES: CodecFixture[] = (
  JSON.parse(readFileSync(new URL('../fixtures/codec/flows.json', import.meta.url), 'utf8')) as { fixtures: CodecFixture[] }
).fixtures;

const cases = FIXTURES.map((f) => ({ ...f, name: f.command === 'add' ? f.input : `${f.command} ${f.input}` }));

function decodeFlowMod(hex: string): FlowMod {
  const msg = decodeMessage(Buffer.from(hex, 'hex'));
  if (msg.type !== 'flow_mod') throw new Error(`decoded a ${msg.type}, not a flow_mod`);
  return msg;
}

function toHex(msg: FlowMod): string {
  return encodeMessageToBuffer(msg).toString('hex');
}

const xidOf = (hex: string): number => Buffer.from(hex, 'hex').readUInt32BE(4);

test('the corpus is big and distinct enough to mean something', () => {
  expect(FIXTURES.length).toBeGreaterThanOrEqual(220);
  expect(new Set(cases.map((c) => c.name)).size).toBe(FIXTURES.length);
  for (const command of ['add', 'modify', 'modify_strict', 'delete', 'delete_strict']) {
    expect(FIXTURES.some((f) => f.command === command)).toBe(true);
  }
});

/** What Open vSwitch 3.1 cannot produce in an OpenFlow 1.3 flow-mod, so the corpus cannot hold it. */
const OVS_CANNOT_SEND = {
  // Not implemented by OVS at all.
  fields: ['in_phy_port', 'pbb_isid', 'pbb_uca', 'ipv6_exthdr'],
  // OVS rewrites them in OF1.3: vlan_tci → vlan_vid/vlan_pcp, nw_tos → ip_dscp, xreg/xxreg → reg pairs.
  rewritten: ['vlan_tci', 'nw_tos', ...FIELDS.map((f) => f.name).filter((n) => /^xx?reg\d$/.test(n))],
  actions: ['copy_ttl_in', 'copy_ttl_out', 'push_pbb', 'pop_pbb', /* sent as set_field: */ 'set_tunnel', /* unknown by definition: */ 'raw'],
};

/** Field names and `type` tags found anywhere in a decoded flow-mod (match, actions, nested actions). */
function collect(value: unknown, fields: Set<string>, types: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, fields, types);
  } else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const o = value as Record<string, unknown>;
    if (typeof o.type === 'string') types.add(o.type);
    const f = o.field as { name?: unknown } | null | undefined;
    if (f && typeof f.name === 'string') fields.add(f.name.replace(/^tun_metadata\d+$/, 'tun_metadataN'));
    for (const v of Object.values(o)) if (v !== f) collect(v, fields, types);
  }
}

test('the corpus exercises every field, action and instruction the codec claims', () => {
  const fields = new Set<string>();
  const types = new Set<string>();
  for (const { hex } of FIXTURES) {
    const fm = decodeFlowMod(hex);
    collect(fm.match, fields, types);
    collect(fm.instructions, fields, types);
  }
  const claimedFields = new Set(FIELDS.map((f) => f.name.replace(/^tun_metadata\d+$/, 'tun_metadataN')));
  const exempt = new Set([...OVS_CANNOT_SEND.fields, ...OVS_CANNOT_SEND.rewritten]);
  expect([...claimedFields].filter((n) => !fields.has(n) && !exempt.has(n))).toEqual([]);
  const claimedTypes = readFileSync(new URL('../../src/openflow/actions/types.ts', import.meta.url), 'utf8').match(/type: '[a-z0-9_]+'/g) ?? [];
  const missing = [...new Set(claimedTypes.map((t) => t.slice(7, -1)))].filter((t) => !types.has(t) && !OVS_CANNOT_SEND.actions.includes(t));
  expect(missing).toEqual([]);
});

// Plain loops rather than test.each: the full flow text stays in the test name, untruncated.
describe('OVS bytes decode and print exactly as ovs-ofctl prints them', () => {
  for (const { name, hex, text } of cases) {
    test(name, () => expect(formatFlowMod(decodeFlowMod(hex))).toBe(text));
  }
});

describe('decoded flow-mods re-encode byte for byte', () => {
  for (const { name, hex } of cases) {
    test(name, () => expect(toHex(decodeFlowMod(hex))).toBe(hex));
  }
});

describe('parseFlow encodes to the bytes ovs-ofctl sends', () => {
  for (const { name, input, command, hex } of cases) {
    test(name, () => {
      const fm = parseFlow(input, { command });
      fm.xid = xidOf(hex);
      expect(toHex(fm)).toBe(hex);
    });
  }
});

describe('text → typed → bytes → typed → text is stable', () => {
  for (const { name, input, command, text } of cases) {
    test(name, () => {
      const once = decodeFlowMod(toHex(parseFlow(input, { command })));
      expect(formatFlowMod(once)).toBe(text);
      expect(formatFlowMod(decodeFlowMod(toHex(once)))).toBe(text);
    });
  }
});

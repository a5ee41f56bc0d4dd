import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/openflow/bytes.js';
import { ParseError } from '../../src/openflow/errors.js';
import {
  applyActions,
  ct,
  decodeActions,
  encodeActions,
  formatActions,
  encodeInstructions,
  formatInstructions,
  gotoTable,
  load,
  move,
  output,
  parseActions,
  parseInstructions,
  popVlan,
  pushVlan,
  resubmit,
  setField,
  type Instruction,
} from '../../src/openflow/actions/index.js';
import { ovsFlowActions } from './actions.oracle.js';

function encode(insts: readonly Instruction[]): string {
  const w = new Writer(16);
  encodeInstructions(w, insts);
  return w.copyFrom().toString('hex');
}

describe('action text that ovs-ofctl rejects is rejected with ParseError', () => {
  const bad = [
    'frobnicate:1',
    'output:',
    'resubmit(,)',
    'ct(zone=0x10000)',
    'conjunction(1,3/2)',
    'load:0x1f->NXM_NX_REG0[0..3]',
    'move:NXM_NX_REG0[0..3]->NXM_NX_REG1[0..4]',
    'set_field:1->nosuchfield',
    'mod_nw_tos:3',
    'output(port=1)',
    'learn(table=1,load:NXM_NX_REG0[0..3]->NXM_NX_REG1[0..4])',
    'bundle(eth_src,0,hrw,ofport)',
    'sample(collector_set_id=1)',
    // Ports are decimal, 16-bit or 32-bit reserved (ofputil_port_from_string).
    'output:65536',
    'output:0x10',
    'output:4294967039',
    'resubmit:65536',
    'resubmit(65536,1)',
    'enqueue:65536:1',
    'output(port=65536,max_len=10)',
    'bundle(eth_src,0,hrw,ofport,members:1,65536)',
    'sample(probability=1,sampling_port=65536)',
    'push_vlan:0x8',
    'push_vlan:0x9100',
    // Text after a closing parenthesis starts the next action (only check_pkt_larger takes "->dst").
    'ct(nat)-',
    'ct(nat)x',
    'resubmit(,1)x',
    'clone(drop)-',
    'learn(table=1)x',
    'write_actions(output:1)x',
    'ct(commit)->x',
    'ct(commit,nat(src=1.1.1.1)x)',
    'ct(commit),drop',
    'drop,output:1',
    // ct(exec(...)) takes nat and writes to ct_mark/ct_label only.
    'ct(commit,exec(output:1))',
    'ct(commit,exec(ct_clear))',
    'ct(commit,exec(set_field:1->reg0))',
    'ct(commit,exec(load:1->NXM_NX_REG0[]))',
    'ct(commit,exec(move:NXM_NX_CT_MARK[]->NXM_NX_REG0[]))',
    'ct(commit,exec(set_field:0x1/0xff->tun_metadata0))',
  ];
  for (const text of bad) {
    it(text, () => {
      expect(() => ovsFlowActions('ip', text)).toThrow(/rejected/);
      expect(() => parseInstructions(text)).toThrow(ParseError);
    });
  }

  it('port numbers are refused with the words ovs-ofctl uses', () => {
    const texts = ['output:65536', 'output:0x10', 'resubmit:65536', 'resubmit(4294967039,1)', 'enqueue:65536:1', 'bundle(eth_src,0,hrw,ofport,members:1,65536)', 'sample(probability=1,sampling_port=65536)'];
    for (const text of texts) {
      let ovsMessage = '';
      try {
        ovsFlowActions('ip', text);
      } catch (e) {
        ovsMessage = /ovs-ofctl: (.*)$/m.exec((e as Error).message)?.[1] ?? '';
      }
      expect(ovsMessage, text).not.toBe('');
      expect(() => parseInstructions(text)).toThrow(ovsMessage);
    }
  });

  it('rejects what ovs-ofctl encodes but cannot decode back (push_mpls of a non-MPLS type, ct exec without commit)', () => {
    for (const text of ['push_mpls:0x8', 'push_mpls:0x800', 'ct(table=1,exec(set_field:1->ct_mark))']) {
      expect(() => ovsFlowActions('ip', text)).toThrow(/cannot decode|rejected/);
      expect(() => parseInstructions(text)).toThrow(ParseError);
    }
  });

  it('rejects instructions where an action list is expected', () => {
    expect(() => parseActions('goto_table:1')).toThrow(ParseError);
    expect(() => parseInstructions('goto_table:1,goto_table:2')).toThrow(ParseError);
  });
});

describe('builders produce what ovs-ofctl sends for the same flow', () => {
  it('a Neutron-style conntrack pipeline step', () => {
    const insts: Instruction[] = [
      applyActions(ct({ commit: true, zone: 'NXM_NX_REG6[0..15]', actions: [setField('ct_mark', 1)] }), load(5, 'NXM_NX_REG0[0..15]'), move('NXM_OF_ETH_SRC[]', 'NXM_OF_ETH_DST[]')),
      gotoTable(30),
    ];
    const text = 'ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),load:0x5->NXM_NX_REG0[0..15],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],goto_table:30';
    const ovs = ovsFlowActions('ip', text);
    expect(encode(insts)).toBe(Buffer.from(ovs.bytes).toString('hex'));
    expect(formatInstructions(insts)).toBe(ovs.text);
  });

  it('VLAN tagging and output', () => {
    const insts: Instruction[] = [applyActions(pushVlan(), setField('vlan_vid', 0x1000 | 7), output(3), popVlan(), resubmit(60), output(0xfffffffd))];
    const ovs = ovsFlowActions('ip', 'push_vlan:0x8100,set_field:4103->vlan_vid,output:3,pop_vlan,resubmit(,60),controller');
    expect(encode(insts)).toBe(Buffer.from(ovs.bytes).toString('hex'));
    expect(formatInstructions(insts)).toBe(ovs.text);
  });

  it('a masked set_field built in code goes out as the loads OVS sends', () => {
    const insts: Instruction[] = [applyActions(setField('reg0', 0x5, 0xf0f))];
    const ovs = ovsFlowActions('ip', 'set_field:0x5/0xf0f->reg0');
    expect(encode(insts)).toBe(Buffer.from(ovs.bytes).toString('hex'));
  });
});

describe('OpenFlow 1.3 actions OVS does not implement (copy_ttl, PBB)', () => {
  // ovs-ofctl rejects these (OFPBAC_BAD_TYPE), so the spec's layouts are the reference here.
  const forms: ReadonlyArray<readonly [string, string]> = [
    ['copy_ttl_out', '000b000800000000'],
    ['copy_ttl_in', '000c000800000000'],
    ['push_pbb:0x88e7', '001a000888e70000'],
    ['pop_pbb', '001b000800000000'],
  ];
  for (const [text, hex] of forms) {
    it(text, () => {
      const actions = decodeActions(new Reader(Buffer.from(hex, 'hex')));
      expect(actions).toHaveLength(1);
      expect(actions[0].type).not.toBe('raw');
      expect(formatActions(actions)).toBe(text);
      const w = new Writer(16);
      encodeActions(w, parseActions(text));
      expect(w.copyFrom().toString('hex')).toBe(hex);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/openflow/bytes.js';
import { DecodeError } from '../../src/openflow/errors.js';
import { decodeActions, decodeInstructions, encodeInstructions, formatInstructions } from '../../src/openflow/actions/index.js';
import { ovsDecodeInstructions, ovsFlowActions } from './actions.oracle.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

function decode(b: Uint8Array): ReturnType<typeof decodeInstructions> {
  return decodeInstructions(new Reader(b));
}

function reencode(b: Uint8Array): string {
  const w = new Writer(16);
  encodeInstructions(w, decode(b));
  return hex(w.copyFrom());
}

/** Both we and OVS must reject the bytes. */
function expectRejected(b: Uint8Array): void {
  expect(() => decode(b)).toThrow(DecodeError);
  expect(ovsDecodeInstructions(b)).toContain('***decode error');
}

function patch16(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  c[at] = v >> 8;
  c[at + 1] = v & 0xff;
  return c;
}

describe('malformed action and instruction lengths', () => {
  const out1 = ovsFlowActions('ip', 'output:1').bytes; // apply_actions(8) + output(16)

  it('sanity: the unmodified bytes decode', () => {
    expect(formatInstructions(decode(out1))).toBe('output:1');
  });

  it('rejects an action length that is not a multiple of 8', () => {
    expectRejected(patch16(out1, 10, 12));
  });

  it('rejects a zero action length instead of looping', () => {
    expectRejected(patch16(out1, 10, 0));
  });

  it('rejects an action that overruns its instruction', () => {
    expectRejected(patch16(out1, 10, 24));
  });

  it('rejects a fixed-size action with the wrong length', () => {
    // output grown to 24 bytes, instruction grown to match.
    const b = new Uint8Array([...patch16(patch16(out1, 2, 32), 10, 24), ...new Uint8Array(8)]);
    expectRejected(b);
  });

  it('rejects an instruction that overruns the list, and a truncated instruction header', () => {
    expect(() => decode(out1.subarray(0, 16))).toThrow(DecodeError);
    expect(() => decode(out1.subarray(0, 2))).toThrow(DecodeError);
    expect(() => decode(patch16(out1, 2, 12))).toThrow(DecodeError);
  });

  it('rejects a truncated action header inside apply_actions', () => {
    const b = bytes('0004 000c 00000000 0000 0010');
    expect(() => decode(b)).toThrow(DecodeError);
  });

  it('bounds nested lists by the parent: clone, ct exec, write_actions', () => {
    const clone = ovsFlowActions('ip', 'clone(output:1)').bytes; // inst 8, clone header 16, output 16
    expect(formatInstructions(decode(clone))).toBe('clone(output:1)');
    expectRejected(patch16(clone, 8 + 16 + 2, 24));

    const ct = ovsFlowActions('ip', 'ct(commit,exec(set_field:1->ct_mark))').bytes; // inst 8, ct 24, set_field 16
    expect(formatInstructions(decode(ct))).toBe('ct(commit,exec(set_field:0x1->ct_mark))');
    expectRejected(patch16(ct, 8 + 24 + 2, 24));

    const wa = ovsFlowActions('ip', 'write_actions(output:1)').bytes;
    expectRejected(patch16(wa, 8 + 2, 32));
  });

  it('rejects a learn spec cut off by the action length', () => {
    const learn = ovsFlowActions('ip', 'learn(table=1,NXM_OF_VLAN_TCI[0..11])').bytes; // inst 8, learn 32 + spec 14 -> 48
    expect(formatInstructions(decode(learn))).toBe('learn(table=1,NXM_OF_VLAN_TCI[0..11])');
    const cut = patch16(patch16(learn, 2, 48), 8 + 2, 40).subarray(0, 48);
    expectRejected(cut);
  });

  it('rejects a masked set_field (not allowed in OpenFlow 1.3)', () => {
    expectRejected(bytes('0004 0018 00000000  0019 0010 00010104 00000005 0000ffff'));
  });

  it('never throws anything but DecodeError on corrupted input', () => {
    const samples = [
      ovsFlowActions('ip', 'ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]),nat(src=10.0.0.1:1-5)),goto_table:3').bytes,
      ovsFlowActions('ip', 'learn(table=1,limit=3,eth_type=0x800,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],output:NXM_NX_REG1[0..15])').bytes,
      ovsFlowActions('ip', 'controller(userdata=01.02,pause),bundle_load(eth_src,0,hrw,ofport,NXM_NX_REG0[],members:4,8),note:aa.bb').bytes,
      ovsFlowActions('ip', 'clone(move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],sample(probability=1,egress)),write_metadata:0x1/0x1').bytes,
    ];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let rejected = 0;
    for (const s of samples) {
      for (let i = 0; i < 1500; i++) {
        const b = s.slice(0, s.length - (i % 5 === 0 ? rand(s.length) : 0));
        for (let k = 0; k <= rand(3); k++) if (b.length) b[rand(b.length)] = rand(256);
        try {
          decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});

describe('unknown actions and instructions are kept raw and re-encode byte-identically', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['unknown OpenFlow action type', '0004 0018 00000000  1234 0010 01020304 05060708 090a0b0c'],
    ['unknown experimenter', '0004 0018 00000000  ffff 0010 00abcdef 0001 0203 0405 0607'],
    ['NXAST_DEC_TTL, which OVS takes only in OpenFlow 1.0', '0004 0018 00000000  ffff 0010 00002320 0012 0000 0000 0000'],
    ['unknown Nicira subtype', '0004 0018 00000000  ffff 0010 00002320 00c8 0000 0000 0000'],
    ['set_field of an unknown OXM class', '0004 0018 00000000  0019 0010 77770204 00000005 00000000'],
    ['reg_load of an unknown field', '0004 0020 00000000  ffff 0018 00002320 0007 001f 77770204 00000000 00000005'],
    ['unknown action nested in clone', '0004 0028 00000000  ffff 0020 00002320 002a 000000000000  1234 0010 01020304 05060708 090a0b0c'],
    ['unknown instruction type', '0007 0010 01020304 05060708 090a0b0c'],
  ];
  for (const [what, h] of cases) {
    it(what, () => {
      const b = bytes(h);
      expect(reencode(b)).toBe(hex(b));
    });
  }

  it('gives the raw variant with the exact bytes', () => {
    const b = bytes('1234 0010 01020304 05060708 090a0b0c');
    const [a] = decodeActions(new Reader(b));
    expect(a).toEqual({ type: 'raw', bytes: b });
    expect(() => decodeActions(new Reader(bytes('1234 0018 01020304 05060708 090a0b0c')))).toThrow(DecodeError);
  });
});

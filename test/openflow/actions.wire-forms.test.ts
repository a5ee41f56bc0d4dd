import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/openflow/bytes.js';
import { decodeInstructions, encodeInstructions, formatInstructions } from '../../src/openflow/actions/index.js';
import { ovsDecodeInstructions } from './actions.oracle.js';

/**
 * Wire forms OVS decodes but does not itself send in OpenFlow 1.3 (a switch or another controller may).
 * The bytes are built here; what they mean comes from `ovs-ofctl ofp-print`.
 */
const ACTIONS: ReadonlyArray<readonly [string, string]> = [
  ['NXAST_RESUBMIT', 'ffff0010 00002320 0001 0003 00000000'],
  ['NXAST_RESUBMIT to IN_PORT', 'ffff0010 00002320 0001 fff8 00000000'],
  ['NXAST_RESUBMIT_TABLE with neither port nor table', 'ffff0010 00002320 000e fff8 ff000000'],
  ['NXAST_SET_TUNNEL', 'ffff0010 00002320 0002 0000 00000005'],
  ['NXAST_SET_TUNNEL64', 'ffff0018 00002320 0009 000000000000 0000001234567890'],
  ['NXAST_SAMPLE2 without sampling port', 'ffff0020 00002320 0026 0001 00000002 00000003 00000004 ffff 00 0000000000'],
  ['NXAST_OUTPUT_REG2 of a register', 'ffff0018 00002320 0020 000f ffff 00010004 000000000000'],
  ['NXAST_REG_LOAD2 without mask', 'ffff0018 00002320 0021 00010004 00000005 000000000000'],
  ['NXAST_REG_LOAD2 with mask', 'ffff0018 00002320 0021 00010108 00000005 0000ffff 0000'],
  ['set_field with the NXM header of eth_dst', '0019 0010 00000206 001122334455 0000'],
  ['NXAST_CONTROLLER with default reason', 'ffff0010 00002320 0014 0080 0000 01 00'],
  ['NXAST_BUNDLE to LOCAL', 'ffff0028 00002320 000c 0001 0000 0000 00000002 0001 0000 00000000 00000000 fffe 000000000000'],
];

/** Instruction lists as a switch may send them: empty lists, and an order other than the one OVS prints. */
const LISTS: ReadonlyArray<readonly [string, string]> = [
  ['empty write_actions', '0003 0008 00000000'],
  ['empty apply_actions', '0004 0008 00000000'],
  ['goto_table before apply_actions', '0001 0008 01000000  0004 0018 00000000 0000 0010 00000001 0000 000000000000'],
  ['write_metadata before meter', '0002 0018 00000000 0000000000000001 00000000000000ff  0006 0008 00000005'],
];

const hexBytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

function inApplyActions(action: Buffer): Buffer {
  const inst = Buffer.alloc(8 + action.length);
  inst.writeUInt16BE(4, 0);
  inst.writeUInt16BE(inst.length, 2);
  action.copy(inst, 8);
  return inst;
}

/** OVS accepts the bytes; we print what it prints and re-encode them unchanged. */
function checkAgainstOvs(inst: Buffer): void {
  const ovsText = ovsDecodeInstructions(inst);
  expect(ovsText).not.toContain('***');
  const decoded = decodeInstructions(new Reader(inst));
  expect(formatInstructions(decoded)).toBe(ovsText);
  const w = new Writer(16);
  encodeInstructions(w, decoded);
  expect(w.copyFrom().toString('hex')).toBe(inst.toString('hex'));
}

describe('action wire forms OVS accepts but does not send', () => {
  for (const [what, h] of ACTIONS) it(what, () => checkAgainstOvs(inApplyActions(hexBytes(h))));
});

describe('instruction lists in any order', () => {
  for (const [what, h] of LISTS) it(what, () => checkAgainstOvs(hexBytes(h)));
});

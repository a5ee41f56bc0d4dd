import { describe, expect, it } from 'vitest';
import { Writer } from '../../src/openflow/bytes.js';
import { decodeMessage, encodeMessage, type FlowStats } from '../../src/openflow/messages/index.js';
import { fieldByName } from '../../src/openflow/oxm/index.js';
import { addFlowMod, deleteFlowMod, deleteFlowModBytes, indexDesired } from '../../src/reconciler/desired-flow.js';
import { diffFlows } from '../../src/reconciler/diff.js';
import { flowStatsIdentities, type FlowIdentity } from '../../src/reconciler/flow-key.js';
import { asFlowStats, syntheticFlow } from './flows.js';

/** Encodes flow stats the way a switch replies: multipart parts of at most `perPart` entries. */
function dumpFrames(flows: FlowStats[], perPart = 400): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < flows.length; i += perPart) {
    const w = new Writer(64 * 1024);
    const more = i + perPart < flows.length ? 1 : 0;
    encodeMessage(w, { type: 'multipart_reply', version: 4, xid: 9, flags: more, body: { kind: 'flow', flows: flows.slice(i, i + perPart) } });
    frames.push(w.copyFrom());
  }
  return frames;
}

const byKey = (ids: FlowIdentity[]) => new Map(ids.map((f) => [f.key, f]));

describe('flow identity from wire bytes', () => {
  it('gives a dumped flow the identity and fingerprint of the desired flow, whatever the field order', () => {
    const desired = indexDesired([syntheticFlow(1), syntheticFlow(2)]);
    const installed = byKey(flowStatsIdentities(dumpFrames([asFlowStats(syntheticFlow(1), true), asFlowStats(syntheticFlow(2))])));
    const d = diffFlows(desired, installed);
    expect(d).toMatchObject({ add: [], modify: [], remove: [], unchanged: 2 });
  });

  it('treats an all-ones mask like no mask, and ignores value bits outside the mask', () => {
    const reg = fieldByName('reg5')!;
    const a = syntheticFlow(3);
    const exact = { ...a, match: [a.match[0], a.match[1], { field: reg, value: 3 }] };
    const allOnes = { ...a, match: [a.match[0], a.match[1], { field: reg, value: 3, mask: 0xffffffff }] };
    const masked = { ...a, match: [a.match[0], a.match[1], { field: reg, value: 0x0f, mask: 0x03 }] };
    const maskedClean = { ...a, match: [a.match[0], a.match[1], { field: reg, value: 0x03, mask: 0x03 }] };
    const key = (f: typeof a) => [...indexDesired([f]).keys()][0];
    expect(key(exact)).toBe(key(allOnes));
    expect(key(masked)).toBe(key(maskedClean));
    expect(key(masked)).not.toBe(key(exact));
  });

  it('classifies adds, modifies (cookie, timeout or actions) and removals', () => {
    const want = [syntheticFlow(1), syntheticFlow(2), { ...syntheticFlow(3), cookie: 99n }, { ...syntheticFlow(4), idleTimeout: 30 }, syntheticFlow(5, 9)];
    const have = [1, 3, 4, 5, 6].map((i) => asFlowStats(syntheticFlow(i)));
    const d = diffFlows(indexDesired(want), byKey(flowStatsIdentities(dumpFrames(have))));
    expect(d.add.map((e) => e.flow.cookie & 0xffffn)).toEqual([2n]);
    expect(d.modify.map((e) => e.id.priority).sort()).toEqual([3, 4, 5].map((i) => syntheticFlow(i).priority).sort());
    expect(d.remove.map((f) => f.cookie & 0xffffn)).toEqual([6n]);
    expect(d.unchanged).toBe(1);
  });

  it('leaves flows the mayDelete predicate protects', () => {
    const have = [asFlowStats({ ...syntheticFlow(7), cookie: 0x1234n })];
    const d = diffFlows(indexDesired([]), byKey(flowStatsIdentities(dumpFrames(have))), (c) => c >> 48n !== 0n);
    expect(d.remove).toEqual([]);
  });

  it('encodes a desired flow object once, whatever the number of setDesired calls', () => {
    const f = syntheticFlow(11);
    const first = [...indexDesired([f]).values()][0].id;
    expect([...indexDesired([syntheticFlow(12), f]).values()][1].id).toBe(first);
    expect([...indexDesired([{ ...f }]).values()][0].id).not.toBe(first);
  });

  it('rejects two desired flows with one identity', () => {
    expect(() => indexDesired([syntheticFlow(1), { ...syntheticFlow(1), cookie: 5n }])).toThrow(/share table/);
  });

  it('parses and diffs a 100k-flow dump with nothing changed to an empty diff', () => {
    const flows = Array.from({ length: 100_000 }, (_, i) => syntheticFlow(i));
    const desired = indexDesired(flows);
    const frames = dumpFrames(flows.map((f) => asFlowStats(f)));
    const d = diffFlows(desired, byKey(flowStatsIdentities(frames)));
    expect(d.unchanged).toBe(100_000);
    expect(d.add.length + d.modify.length + d.remove.length).toBe(0);
  });

  it('keeps each desired flow\'s encoded FLOW_MOD ADD, the bytes the reconciler bundles as they are', () => {
    const flows = Array.from({ length: 300 }, (_, i) => syntheticFlow(i)); // enough to span several encoding slabs
    const idx = indexDesired(flows);
    flows.forEach((f, i) => {
      const e = idx.get([...idx.keys()][i])!;
      expect(e.flow).toBe(f);
      const w = new Writer(256);
      encodeMessage(w, addFlowMod(f));
      expect(Buffer.from(e.bytes).equals(w.copyFrom())).toBe(true);
    });
    // Cached per object: indexing the same objects again encodes nothing new.
    const again = indexDesired(flows);
    expect([...again.values()].every((e, i) => e.bytes === [...idx.values()][i].bytes)).toBe(true);
  });

  it('builds the DELETE_STRICT of an installed flow from its dumped match bytes, as deleteFlowMod encodes it', () => {
    const stats = [asFlowStats(syntheticFlow(4)), asFlowStats(syntheticFlow(5), true), { ...asFlowStats(syntheticFlow(6)), cookie: 0xfedcba9876543210n }];
    for (const id of flowStatsIdentities(dumpFrames(stats))) {
      const raw = deleteFlowModBytes(id);
      const w = new Writer(256);
      encodeMessage(w, deleteFlowMod(id));
      expect(Buffer.from(raw).toString('hex')).toBe(w.copyFrom().toString('hex'));
      expect(decodeMessage(raw)).toMatchObject({ type: 'flow_mod', command: 4, cookie: id.cookie, cookieMask: 0xffffffffffffffffn, priority: id.priority, tableId: id.tableId, instructions: [] });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/openflow/errors.js';
import { decodeMessage, encodeMessageToBuffer, FrameDecoder, hasMore, mergeMultipartReplies } from '../../src/openflow/messages/index.js';
import type { MultipartReply } from '../../src/openflow/messages/index.js';
import { sampleMessages } from './messages-samples.js';

describe('FrameDecoder', () => {
  const frames = sampleMessages().map((m) => encodeMessageToBuffer(m));
  const stream = Buffer.concat(frames);
  const expected = frames.map((f) => f.toString('hex'));

  function feed(chunks: Uint8Array[]): string[] {
    const d = new FrameDecoder();
    const out: string[] = [];
    for (const c of chunks) for (const f of d.push(c)) out.push(Buffer.from(f).toString('hex'));
    expect(d.buffered).toBe(0);
    return out;
  }

  it('yields the same frames whatever single offset the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(feed([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('yields the same frames when fed byte by byte and in odd-sized chunks', () => {
    const bytes: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) bytes.push(stream.subarray(i, i + 1));
    expect(feed(bytes)).toEqual(expected);
    for (const size of [3, 7, 13, 64, 1000]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(feed(chunks), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('returns views of the input for frames inside one chunk (no copy)', () => {
    const d = new FrameDecoder();
    const out = d.push(stream);
    expect(out).toHaveLength(frames.length);
    expect(out[1].buffer).toBe(stream.buffer);
    expect(decodeMessage(out[1])).toEqual(sampleMessages()[1]);
  });

  it('throws DecodeError on a header length below 8, also when the header spans chunks', () => {
    expect(() => new FrameDecoder().push(Buffer.from('0400000700000001', 'hex'))).toThrow(DecodeError);
    const d = new FrameDecoder();
    expect(d.push(Buffer.from('040000', 'hex'))).toEqual([]);
    expect(() => d.push(Buffer.from('0000000001', 'hex'))).toThrow(DecodeError);
  });
});

describe('mergeMultipartReplies', () => {
  const part = (xid: number, flags: number, tableIds: number[]): MultipartReply => ({
    type: 'multipart_reply',
    version: 4,
    xid,
    flags,
    body: { kind: 'table', tables: tableIds.map((tableId) => ({ tableId, activeCount: 0, lookupCount: 0n, matchedCount: 0n })) },
  });

  it('concatenates the parts of one reply and clears the MORE flag', () => {
    const parts = [part(9, 1, [0, 1]), part(9, 1, [2]), part(9, 0, [3])];
    expect(parts.map(hasMore)).toEqual([true, true, false]);
    const merged = mergeMultipartReplies(parts);
    expect(merged.flags).toBe(0);
    expect(merged.body.kind === 'table' && merged.body.tables.map((t) => t.tableId)).toEqual([0, 1, 2, 3]);
    // The inputs are left untouched.
    expect(parts[0].body.kind === 'table' && parts[0].body.tables).toHaveLength(2);
  });

  it('refuses parts of another xid or another stats type', () => {
    expect(() => mergeMultipartReplies([part(9, 1, [0]), part(10, 0, [1])])).toThrow(DecodeError);
    const desc: MultipartReply = { type: 'multipart_reply', version: 4, xid: 9, flags: 0, body: { kind: 'aggregate', packetCount: 0n, byteCount: 0n, flowCount: 0 } };
    expect(() => mergeMultipartReplies([part(9, 1, [0]), desc])).toThrow(DecodeError);
    expect(() => mergeMultipartReplies([])).toThrow(DecodeError);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/openflow/errors.js';
import { FrameDecoder } from '../../src/openflow/messages/index.js';
import { concatBytes, decodeOutcome, type DecodeOutcome } from '../support/decode-outcome.js';
import { Mutator } from '../support/mutate.js';
import { ovsCorpus } from '../support/ovs-corpus.js';
import { Prng } from '../support/prng.js';

/**
 * Framing: a stream of OVS-made messages cut anywhere (every offset, random chunk sizes, byte by
 * byte) must come out of FrameDecoder as exactly the original messages, and decode to the same
 * values as each message decoded on its own.
 */

let messages: Uint8Array[];
let stream: Uint8Array;
let expected: DecodeOutcome[];

beforeAll(() => {
  messages = ovsCorpus().map((s) => s.bytes);
  stream = concatBytes(messages);
  expected = messages.map((m) => decodeOutcome(m));
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Pushes the chunks, keeping every frame until the end so a decoder that reuses its buffer is caught. */
function frameAll(chunks: Iterable<Uint8Array>): Uint8Array[] {
  const dec = new FrameDecoder();
  const frames: Uint8Array[] = [];
  for (const c of chunks) frames.push(...dec.push(c));
  return frames;
}

function expectFramesMatch(frames: Uint8Array[], where: string, want = messages): void {
  if (frames.length !== want.length) throw new Error(`${where}: ${frames.length} frames, expected ${want.length}`);
  for (let i = 0; i < frames.length; i++) {
    if (!sameBytes(frames[i], want[i])) throw new Error(`${where}: frame ${i} differs from message ${i}`);
  }
}

/** The obvious framing by header length: frames, bytes left over, and whether a header said < 8. */
function referenceSplit(bytes: Uint8Array): { frames: Uint8Array[]; leftover: number; bad: boolean } {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (bytes.length - at >= 8) {
    const len = (bytes[at + 2] << 8) | bytes[at + 3];
    if (len < 8) return { frames, leftover: 0, bad: true };
    if (at + len > bytes.length) break;
    frames.push(bytes.subarray(at, at + len));
    at += len;
  }
  return { frames, leftover: bytes.length - at, bad: false };
}

function* randomChunks(rng: Prng, maxChunk: number): Generator<Uint8Array> {
  for (let at = 0; at < stream.length; ) {
    const n = Math.min(rng.range(1, maxChunk), stream.length - at);
    yield stream.subarray(at, at + n);
    at += n;
  }
}

describe('FrameDecoder over OVS-made messages', () => {
  it('has a varied corpus of messages that decode on their own', () => {
    expect(messages.length).toBeGreaterThanOrEqual(150);
    // The OVS sandbox must really have produced switch replies, async messages and ovs-ofctl requests.
    const types = new Set(expected.map((o) => (o.ok ? (o.msg as { type: string }).type : 'DecodeError')));
    for (const t of ['hello', 'error', 'echo_request', 'features_reply', 'packet_in', 'flow_removed', 'port_status', 'packet_out', 'flow_mod', 'group_mod', 'port_mod', 'meter_mod', 'multipart_request', 'multipart_reply', 'barrier_request', 'bundle_control', 'bundle_add_message', 'experimenter']) {
      expect(types, t).toContain(t);
    }
    expect(types).not.toContain('DecodeError');
  });

  it('gives the same messages whatever single offset the stream is cut at', () => {
    // Every offset of the whole stream but the 64 KiB FLOW_MOD (its own cuts are covered below).
    const some = messages.filter((m) => m.length <= 8192);
    const part = concatBytes(some);
    for (let cut = 0; cut <= part.length; cut++) {
      expectFramesMatch(frameAll([part.subarray(0, cut), part.subarray(cut)]), `cut at ${cut}`, some);
    }
  });

  it('gives the same 64 KiB message whatever offset it is cut at', () => {
    const big = messages.find((m) => m.length > 60_000)!;
    // Every 7th offset: each cut compares the whole 64 KiB, and the stride still hits every alignment mod 8.
    for (let cut = 0; cut <= big.length; cut += 7) {
      const dec = new FrameDecoder();
      const frames = [...dec.push(big.subarray(0, cut)), ...dec.push(big.subarray(cut))];
      if (frames.length !== 1 || !sameBytes(frames[0], big)) throw new Error(`64 KiB message cut at ${cut}`);
    }
  });

  it('gives the same messages when cut twice at random offsets', () => {
    const rng = new Prng(11);
    for (let i = 0; i < 2000; i++) {
      const a = rng.int(stream.length + 1);
      const b = a + rng.int(stream.length - a + 1);
      expectFramesMatch(frameAll([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]), `cuts ${a},${b}`);
    }
  });

  it('gives the same messages byte by byte', () => {
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expectFramesMatch(frameAll(bytes), 'byte by byte');
  });

  it('decodes frames of seeded random chunkings to the same values as each message alone', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const maxChunk of [3, 17, 200, 4096]) {
        const frames = frameAll(randomChunks(new Prng(seed * 1000 + maxChunk), maxChunk));
        expectFramesMatch(frames, `seed ${seed} max chunk ${maxChunk}`);
        expect(frames.map((f) => decodeOutcome(f))).toEqual(expected);
      }
    }
  });

  it('decodes each message in place in the stream (offset, length) like alone', () => {
    let at = 0;
    const inPlace = messages.map((m) => {
      const out = decodeOutcome(stream, at, m.length);
      at += m.length;
      return out;
    });
    // DecodeError offsets are stream-relative here, so compare the decoded values only.
    expect(inPlace.map((o) => o.ok)).toEqual(expected.map((o) => o.ok));
    expect(inPlace.filter((o) => o.ok)).toEqual(expected.filter((o) => o.ok));
  });

  it('agrees with a reference splitter on seeded streams of mutated messages, however they are chunked', () => {
    const rng = new Prng(21);
    const valid = messages.filter((m) => m.length <= 8192);
    const mutator = new Mutator(valid, rng);
    let badStreams = 0;
    for (let round = 0; round < 300; round++) {
      const parts = Array.from({ length: rng.range(1, 12) }, () => Uint8Array.from(rng.chance(0.7) ? rng.pick(valid) : mutator.next()));
      const bytes = concatBytes(parts);
      const ref = referenceSplit(bytes);
      const dec = new FrameDecoder();
      const got: Uint8Array[] = [];
      let threw: unknown;
      try {
        for (let at = 0; at < bytes.length; ) {
          const n = rng.range(1, 300);
          got.push(...dec.push(bytes.subarray(at, at + n)));
          at += n;
        }
      } catch (e) {
        threw = e;
      }
      if (ref.bad) {
        badStreams++;
        expect(threw, `round ${round}`).toBeInstanceOf(DecodeError);
        expect(got.length).toBeLessThanOrEqual(ref.frames.length);
      } else {
        expect(threw, `round ${round}`).toBeUndefined();
        expect(got.length).toBe(ref.frames.length);
        expect(dec.buffered).toBe(ref.leftover);
      }
      got.forEach((f, i) => expect(sameBytes(f, ref.frames[i]), `round ${round} frame ${i}`).toBe(true));
    }
    // Both kinds of stream must occur, or one branch above is never exercised.
    expect(badStreams).toBeGreaterThan(20);
    expect(badStreams).toBeLessThan(280);
  });

  it('keeps a partial message until the rest arrives, and returns nothing for empty chunks', () => {
    const dec = new FrameDecoder();
    const first = messages[0];
    expect(dec.push(first.subarray(0, 7))).toEqual([]);
    expect(dec.push(new Uint8Array(0))).toEqual([]);
    expect(dec.push(first.subarray(7, first.length - 1))).toEqual([]);
    const out = dec.push(concatBytes([first.subarray(first.length - 1), messages[1]]));
    expect(out.length).toBe(2);
    expect(sameBytes(out[0], first) && sameBytes(out[1], messages[1])).toBe(true);
  });

  it('rejects a header whose length is below 8 with a DecodeError instead of looping', () => {
    for (const len of [0, 1, 7]) {
      const bad = Uint8Array.from(messages[0].subarray(0, 8));
      bad[2] = len >> 8;
      bad[3] = len & 0xff;
      expect(() => new FrameDecoder().push(bad), `length ${len}`).toThrow(DecodeError);
    }
  });
});

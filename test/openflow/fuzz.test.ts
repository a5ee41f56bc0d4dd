import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/openflow/errors.js';
import { FrameDecoder, decodeMessage, encodeMessageToBuffer, type OfMessage } from '../../src/openflow/messages/index.js';
import { decodeOutcome } from '../support/decode-outcome.js';
import { runFuzz } from '../support/fuzz-run.js';
import { lengthFields, type LengthField } from '../support/length-fields.js';
import { ovsCorpus } from '../support/ovs-corpus.js';
import type { Sample } from '../support/ovs-samples.js';
import { Prng } from '../support/prng.js';

/**
 * Bad input: whatever the bytes, decodeMessage returns a value or throws a DecodeError, never
 * anything else, never hangs, never allocates more than the input justifies. Inputs are OVS-made
 * messages, broken on purpose (targeted below, random in the 1M-input fuzz at the end).
 */

let corpus: Sample[];
/** Without the 64 KiB FLOW_MOD: the exhaustive per-field tests below copy the message per case. */
let small: Sample[];
beforeAll(() => {
  corpus = ovsCorpus();
  small = corpus.filter((s) => s.bytes.length <= 8192);
});

function withU16(msg: Uint8Array, pos: number, v: number): Uint8Array {
  const out = Uint8Array.from(msg);
  out[pos] = v >>> 8;
  out[pos + 1] = v & 0xff;
  return out;
}

function withLength(msg: Uint8Array, f: LengthField, v: number): Uint8Array {
  if (f.width === 2) return withU16(msg, f.pos, v);
  const out = Uint8Array.from(msg);
  out[f.pos] = v;
  return out;
}

/** decodeMessage must throw a DecodeError (a non-DecodeError escapes decodeOutcome and fails the test). */
function expectRejected(input: Uint8Array, why: string): void {
  const out = decodeOutcome(input);
  if (out.ok) throw new Error(`${why}: decoded instead of a DecodeError`);
}

function isModelled(s: Sample): boolean {
  const out = decodeOutcome(s.bytes);
  return out.ok && (out.msg as { type: string }).type !== 'unknown';
}

describe('decodeMessage on malformed OVS-made messages', () => {
  it('rejects every strict prefix of every sample', () => {
    let n = 0;
    for (const s of corpus) {
      for (let len = 0; len < s.bytes.length; len++, n++) expectRejected(s.bytes.subarray(0, len), `${s.name} cut to ${len}`);
    }
    expect(n).toBeGreaterThan(5000);
  });

  it('survives every prefix whose header length is fixed to match (value or DecodeError)', () => {
    for (const s of small) {
      for (let len = 8; len < s.bytes.length; len++) {
        const cut = withU16(s.bytes.subarray(0, len), 2, len);
        decodeOutcome(cut);
      }
    }
  });

  it('rejects header lengths of 0, below 8, and beyond the buffer', () => {
    for (const s of corpus) {
      for (const len of [0, 1, 4, 7, s.bytes.length + 1, s.bytes.length + 8, 0xffff]) {
        expectRejected(withU16(s.bytes, 2, len), `${s.name} header length ${len}`);
      }
    }
  });

  it('finds the nested length fields it is meant to break', () => {
    const kinds = new Set(corpus.flatMap((s) => lengthFields(s.bytes).map((f) => f.kind)));
    expect([...kinds].sort()).toEqual(['action', 'band', 'bucket', 'header', 'hello-element', 'instruction', 'match', 'oxm', 'property', 'stats-entry']);
  });

  it('rejects TLV lengths that are 0, below the fixed part, misaligned, or overrun their parent', () => {
    let checked = 0;
    // Messages the codec keeps as raw bytes ('unknown', e.g. OF1.5 GROUP_MOD) have no TLVs to check.
    for (const s of small.filter(isModelled)) {
      for (const f of lengthFields(s.bytes)) {
        if (f.kind === 'header') continue;
        const cur = f.width === 2 ? (s.bytes[f.pos] << 8) | s.bytes[f.pos + 1] : s.bytes[f.pos];
        const max = f.width === 2 ? 0xffff : 0xff;
        const bad = new Set<number>([f.room + 1, f.room + 8, max].filter((v) => v > f.room && v <= max));
        if (f.width === 2) {
          const belowMin = [0, 1, 3, f.min - 1].filter((v) => v >= 0 && v < f.min);
          for (const v of belowMin) bad.add(v);
        }
        if (f.align8) for (let d = 1; d < 8; d++) if (cur + d <= f.room) bad.add(cur + d);
        for (const v of bad) {
          expectRejected(withLength(s.bytes, f, v), `${s.name}: ${f.kind} length at byte ${f.pos} set to ${v}`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('decodes or cleanly rejects every small rewrite of every length field', () => {
    for (const s of small) {
      for (const f of lengthFields(s.bytes)) {
        const cur = f.width === 2 ? (s.bytes[f.pos] << 8) | s.bytes[f.pos + 1] : s.bytes[f.pos];
        for (let d = -16; d <= 16; d++) if (cur + d >= 0) decodeOutcome(withLength(s.bytes, f, cur + d));
      }
    }
  });

  it('handles unknown message, instruction, action and OXM types without throwing anything but DecodeError', () => {
    const rng = new Prng(3);
    for (const s of small) {
      for (let i = 0; i < 50; i++) {
        const out = Uint8Array.from(s.bytes);
        out[1] = rng.range(36, 255); // message type
        decodeOutcome(out);
      }
      for (const f of lengthFields(s.bytes)) {
        if (f.kind !== 'action' && f.kind !== 'instruction' && f.kind !== 'property' && f.kind !== 'oxm') continue;
        const typeAt = f.kind === 'oxm' ? f.pos - 3 : f.pos - 2;
        for (const t of [0x0000, 0x0007, 0x00ff, 0x7777, 0xfffe, 0xffff]) decodeOutcome(withU16(s.bytes, typeAt, t));
      }
    }
  });

  it('keeps an unknown but well-formed action as raw bytes that re-encode identically', () => {
    // output:7 in the bench flow turned into an unknown action type of the same length.
    const s = corpus.find((c) => c.name.includes('nw_dst=172.16.3.4'))!;
    const output = lengthFields(s.bytes).filter((f) => f.kind === 'action').at(-1)!;
    const unknown = withU16(s.bytes, output.pos - 2, 0x7777);
    const out = decodeOutcome(unknown);
    if (!out.ok) throw new Error(`unknown action type rejected: ${out.error}`);
    expect(Buffer.from(encodeMessageToBuffer(out.msg as OfMessage)).equals(Buffer.from(unknown))).toBe(true);
  });

  it('re-encodes stably whatever version byte a message carries', () => {
    // Version-dependent layouts are where encoder and decoder drift apart: decode, encode, decode,
    // encode must give the same bytes twice, for every version byte and ERRORs of experimenter type.
    const unstable = new Set<string>();
    for (const s of small) {
      for (let version = 0; version <= 7; version++) {
        for (const experimenterError of s.bytes[1] === 1 ? [false, true] : [false]) {
          const input = Uint8Array.from(s.bytes);
          input[0] = version;
          if (experimenterError) input.set([0xff, 0xff], 8);
          const out = decodeOutcome(input);
          if (!out.ok) continue;
          const once = encodeMessageToBuffer(out.msg as OfMessage);
          const twice = encodeMessageToBuffer(decodeMessage(once));
          if (!twice.equals(once)) unstable.add(`${(out.msg as OfMessage).type} v${version}${experimenterError ? ' experimenter' : ''}`);
        }
      }
    }
    expect([...unstable].sort()).toEqual([]);
  });

  it('FrameDecoder throws only DecodeError on random streams', () => {
    const rng = new Prng(5);
    for (let i = 0; i < 20_000; i++) {
      const bytes = new Uint8Array(rng.int(64));
      rng.fill(bytes);
      try {
        new FrameDecoder().push(bytes);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  });
});

describe('seeded fuzz of decodeMessage', () => {
  const COUNT = Number(process.env.FUZZ_COUNT ?? 1_000_000);

  it(`${COUNT} random and mutated messages: value or DecodeError, stable re-encoding, bounded time and memory`, () => {
    const stats = runFuzz({ count: COUNT, seed: 1, samples: corpus.map((s) => s.bytes) });
    console.log(`fuzz: ${stats.inputs} inputs in ${stats.seconds.toFixed(1)} s, ${stats.decoded} decoded (${stats.reencodedIdentical} re-encoded identically, ${stats.encodeErrors} EncodeErrors, ${stats.knownBugHits} known-bug hits), ${stats.decodeErrors} DecodeErrors, slowest ${stats.slowestDecodeMs.toFixed(2)} ms, memory peak +${(stats.peakMemoryGrowth / 2 ** 20).toFixed(1)} MiB, retained +${(stats.retainedMemoryGrowth / 2 ** 20).toFixed(1)} MiB`);
    expect(stats.inputs).toBe(COUNT);
    expect(stats.decoded + stats.decodeErrors).toBe(COUNT);
    // The mix must exercise both outcomes, or the mutators have stopped reaching the decoder.
    expect(stats.decoded).toBeGreaterThan(COUNT * 0.05);
    expect(stats.decodeErrors).toBeGreaterThan(COUNT * 0.3);
    expect(stats.reencodedIdentical).toBeGreaterThan(stats.decoded * 0.5);
    expect(stats.worstSizeRatio).toBeLessThanOrEqual(1);
    expect(stats.slowestDecodeMs).toBeLessThan(50);
    expect(stats.peakMemoryGrowth).toBeLessThan(256 * 2 ** 20);
    expect(stats.retainedMemoryGrowth).toBeLessThan(16 * 2 ** 20);
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/openflow/errors.js';
import { FuzzFailure, largestDecodedSize, runFuzz } from '../support/fuzz-run.js';
import { Mutator } from '../support/mutate.js';
import { Prng } from '../support/prng.js';

/** The fuzz harness must be able to fail: broken decoders swapped in are caught, with a replayable report. */

/** Seeds for the fake decoders below: any bytes will do, the decoders do not parse them. */
const SAMPLES = [16, 40, 100].map((n) => {
  const b = new Uint8Array(n);
  new Prng(n).fill(b);
  return b;
});

describe('fuzz harness', () => {
  it('reports a decoder that throws something other than DecodeError, with seed, index and input', () => {
    const decode = (buf: Uint8Array): unknown => {
      if (buf.length > 20) throw new RangeError('offset out of bounds');
      throw new DecodeError('bad');
    };
    let failure: unknown;
    try {
      runFuzz({ count: 10_000, seed: 9, samples: SAMPLES, decode, roundTrip: false });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(FuzzFailure);
    const f = failure as FuzzFailure;
    expect(f.message).toMatch(/RangeError: offset out of bounds/);
    expect(f.seed).toBe(9);
    expect(f.inputHex.length / 2).toBeGreaterThan(20);
  });

  it('reports a decoded array longer than the input could hold', () => {
    const decode = (buf: Uint8Array): unknown => ({ entries: new Array(buf.length * 8 + 8).fill(0) });
    expect(() => runFuzz({ count: 100, seed: 1, samples: SAMPLES, decode, roundTrip: false })).toThrow(/larger than the input/);
  });

  it('measures retained memory, so a decoder that leaks shows up', () => {
    const leak: Uint8Array[] = [];
    const decode = (buf: Uint8Array): unknown => {
      leak.push(new Uint8Array(4096));
      return { n: buf.length };
    };
    const stats = runFuzz({ count: 20_000, seed: 1, samples: SAMPLES, decode, roundTrip: false });
    expect(stats.retainedMemoryGrowth).toBeGreaterThan(64 * 2 ** 20);
    expect(leak.length).toBeGreaterThanOrEqual(20_000); // slow decodes are timed again
  });

  it('is reproducible: the same seed gives the same inputs', () => {
    const run = (seed: number): string[] => {
      const m = new Mutator(SAMPLES, new Prng(seed));
      return Array.from({ length: 200 }, () => Buffer.from(m.next()).toString('hex'));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('sizes nested views and arrays relative to the input', () => {
    expect(largestDecodedSize({ a: [{ b: new Uint8Array(50) }] }, 100)).toBe(0.5);
    expect(largestDecodedSize({ a: new Array(1600).fill(1) }, 100)).toBe(2);
  });
});

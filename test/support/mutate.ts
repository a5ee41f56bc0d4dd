import { lengthFields, type LengthField } from './length-fields.js';
import type { Prng } from './prng.js';

/**
 * Makes malformed and odd OpenFlow messages from valid samples: bit flips, byte replacements,
 * length field rewrites, truncations, splices of two samples, random bodies behind a plausible
 * header, and plain noise. Mutants are written into one reused scratch buffer (a view of it is
 * returned), so the fuzzer itself allocates almost nothing and memory checks measure the decoder.
 */

export type MutationKind = 'bitflip' | 'bytes' | 'length' | 'truncate' | 'splice' | 'random-body' | 'noise';

const INTERESTING_U8 = [0x00, 0x01, 0x03, 0x04, 0x07, 0x08, 0x0f, 0x10, 0x7f, 0x80, 0xfe, 0xff];
const MAX_MSG = 0xffff;

interface Prepared {
  readonly bytes: Uint8Array;
  readonly lengths: readonly LengthField[];
}

export class Mutator {
  private readonly samples: Prepared[];
  private readonly scratch = new Uint8Array(MAX_MSG + 64);
  /** How many mutants of each kind were made, to show the mix is what we think. */
  readonly made: Record<MutationKind, number> = { bitflip: 0, bytes: 0, length: 0, truncate: 0, splice: 0, 'random-body': 0, noise: 0 };

  constructor(
    samples: readonly Uint8Array[],
    private readonly rng: Prng,
  ) {
    if (samples.length === 0) throw new Error('Mutator needs at least one sample');
    this.samples = samples.map((bytes) => ({ bytes, lengths: lengthFields(bytes) }));
  }

  /** The next input: a view into the scratch buffer, valid until the next call. */
  next(): Uint8Array {
    const r = this.rng.int(100);
    if (r < 20) return this.mutate('bitflip');
    if (r < 40) return this.mutate('bytes');
    if (r < 65) return this.mutate('length');
    if (r < 75) return this.truncate();
    if (r < 87) return this.splice();
    if (r < 95) return this.randomBody();
    return this.noise();
  }

  private copySample(): { p: Prepared; out: Uint8Array } {
    const p = this.rng.pick(this.samples);
    this.scratch.set(p.bytes);
    return { p, out: this.scratch.subarray(0, p.bytes.length) };
  }

  /** One to three stacked edits of the chosen kind (plus, sometimes, another kind). */
  private mutate(kind: 'bitflip' | 'bytes' | 'length'): Uint8Array {
    this.made[kind]++;
    const { p, out } = this.copySample();
    const edits = this.rng.range(1, 3);
    for (let i = 0; i < edits; i++) {
      const k = i === 0 ? kind : this.rng.pick(['bitflip', 'bytes', 'length'] as const);
      if (k === 'bitflip') out[this.rng.int(out.length)] ^= 1 << this.rng.int(8);
      else if (k === 'bytes') out[this.rng.int(out.length)] = this.rng.chance(0.5) ? this.rng.pick(INTERESTING_U8) : this.rng.u32() & 0xff;
      else this.rewriteLength(out, this.rng.pick(p.lengths));
    }
    return out;
  }

  /** A length field set to a value chosen to break it: 0, below its minimum, misaligned, overrunning, huge. */
  private rewriteLength(out: Uint8Array, f: LengthField): void {
    const cur = f.width === 2 ? (out[f.pos] << 8) | out[f.pos + 1] : out[f.pos];
    const limit = f.width === 2 ? 0xffff : 0xff;
    const choices = [0, 1, f.min - 1, f.min, cur + 1, cur - 1, cur + this.rng.range(1, 7), cur + 8, cur - 8, f.room, f.room + 1, f.room + 8, cur * 2, limit, limit - 7, this.rng.u32()];
    const v = Math.max(0, this.rng.pick(choices)) & limit;
    if (f.width === 2) {
      out[f.pos] = v >>> 8;
      out[f.pos + 1] = v & 0xff;
    } else out[f.pos] = v;
  }

  /** A prefix of a sample, with its header length left alone (claims more than is there) or fixed up. */
  private truncate(): Uint8Array {
    this.made.truncate++;
    const { out } = this.copySample();
    const cut = out.subarray(0, this.rng.int(out.length));
    if (this.rng.chance(0.5)) this.setHeaderLength(cut);
    return cut;
  }

  /** The start of one sample joined to the tail of another, header length fixed most of the time. */
  private splice(): Uint8Array {
    this.made.splice++;
    const a = this.rng.pick(this.samples).bytes;
    const b = this.rng.pick(this.samples).bytes;
    const cutA = this.rng.int(a.length + 1);
    const cutB = this.rng.int(b.length + 1);
    const len = Math.min(cutA + b.length - cutB, MAX_MSG);
    this.scratch.set(a.subarray(0, cutA));
    this.scratch.set(b.subarray(cutB, cutB + len - cutA), cutA);
    const out = this.scratch.subarray(0, len);
    if (this.rng.chance(0.8)) this.setHeaderLength(out);
    return out;
  }

  /** A correct header (OF1.0–1.6 or any version byte, any type) in front of random bytes. */
  private randomBody(): Uint8Array {
    this.made['random-body']++;
    const len = 8 + (this.rng.chance(0.1) ? this.rng.int(4096) : this.rng.int(256));
    const out = this.scratch.subarray(0, len);
    this.rng.fill(out, 4);
    out[0] = this.rng.chance(0.9) ? this.rng.range(1, 7) : this.rng.u32() & 0xff;
    out[1] = this.rng.chance(0.9) ? this.rng.int(36) : this.rng.u32() & 0xff;
    this.setHeaderLength(out);
    return out;
  }

  private noise(): Uint8Array {
    this.made.noise++;
    const out = this.scratch.subarray(0, this.rng.int(300));
    this.rng.fill(out);
    return out;
  }

  private setHeaderLength(out: Uint8Array): void {
    if (out.length < 4) return;
    out[2] = out.length >>> 8;
    out[3] = out.length & 0xff;
  }
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DecodeError, EncodeError } from '../../src/openflow/errors.js';
import { decodeMessage, encodeMessageToBuffer, type OfMessage } from '../../src/openflow/messages/index.js';
import { Mutator, type MutationKind } from './mutate.js';
import { Prng } from './prng.js';

/**
 * The fuzz loop shared by test/openflow/fuzz.test.ts (1M inputs in CI) and scripts/fuzz-long.ts.
 * For every input, decodeMessage must return a value or throw a DecodeError. It also checks,
 * cheaply, that decoding never allocates more than the input justifies: no decoded array or byte
 * string can be larger than the input, memory stays flat across the run, and no single decode is slow.
 * Whatever decodes must re-encode (or throw an EncodeError) to bytes that decode and re-encode to
 * the very same bytes: the codec is stable on anything it accepts.
 */

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  readonly samples: readonly Uint8Array[];
  /** Called every `progressEvery` inputs (for the long run's log). */
  readonly onProgress?: (done: number, stats: FuzzStats) => void;
  readonly progressEvery?: number;
  /** The decoder under test; decodeMessage unless a test of this harness swaps in a broken one. */
  readonly decode?: (buf: Uint8Array) => unknown;
  /** Check the re-encode round trip of decoded values (default true; off for fake decoders). */
  readonly roundTrip?: boolean;
}

export interface FuzzStats {
  inputs: number;
  decoded: number;
  decodeErrors: number;
  /** Decoded inputs that re-encoded byte-identically / that the encoder refused with an EncodeError. */
  reencodedIdentical: number;
  encodeErrors: number;
  /** Round-trip failures matching KNOWN_ROUND_TRIP_BUGS: counted, not fatal, so other bugs still surface. */
  knownBugHits: number;
  seconds: number;
  /** Slowest single decode (ms): a hang or quadratic path shows up here. */
  slowestDecodeMs: number;
  slowestInput: string;
  /** Largest decoded array / byte string seen, relative to the input length. */
  worstSizeRatio: number;
  /** heapUsed + arrayBuffers growth: peak during the run, and after a full GC at the end (bytes). */
  peakMemoryGrowth: number;
  retainedMemoryGrowth: number;
  made: Record<MutationKind, number>;
}

/** A decode that broke the contract, with what is needed to replay it. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
  constructor(
    message: string,
    readonly seed: number,
    readonly index: number,
    readonly inputHex: string,
    override readonly cause?: unknown,
  ) {
    super(`${message} (seed ${seed}, input #${index}, ${inputHex.length / 2} bytes: ${inputHex.slice(0, 512)})`);
  }
}

let gcFn: (() => void) | undefined;
/** A real GC for the memory measurements, without needing node --expose-gc. */
function fullGc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

function memoryInUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Largest array length or byte length reachable from a decoded value, scaled so that 1 means
 * "as large as the input". An array element needs at least 4 input bytes (the smallest TLV) except
 * hello version bitmaps, so arrays are counted at length/8 to stay clear of false alarms.
 */
export function largestDecodedSize(value: unknown, inputLength: number, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > 64) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength / Math.max(inputLength, 1);
  let worst = 0;
  if (Array.isArray(value)) {
    worst = value.length / 8 / Math.max(inputLength, 1);
    for (const v of value) worst = Math.max(worst, largestDecodedSize(v, inputLength, depth + 1));
    return worst;
  }
  for (const k in value) worst = Math.max(worst, largestDecodedSize((value as Record<string, unknown>)[k], inputLength, depth + 1));
  return worst;
}

/** Best of three timings (ms) of decoding `input`, whatever the outcome. */
function retime(decode: (buf: Uint8Array) => unknown, input: Uint8Array): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    try {
      decode(input);
    } catch {
      // The outcome was checked on the first run.
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Reported, not yet fixed round-trip bugs, recognised from the input. Remove an entry once fixed
 * (test/openflow/fuzz.test.ts 'version byte' test then fails until its expected list is emptied).
 */
const KNOWN_ROUND_TRIP_BUGS: ReadonlyArray<(input: Uint8Array) => boolean> = [];

/** encode(decode(x)) must decode and re-encode to itself; returns what went wrong, if anything. */
function checkRoundTrip(msg: OfMessage, input: Uint8Array, stats: FuzzStats): { message: string; cause?: unknown } | undefined {
  let first: Buffer;
  try {
    first = encodeMessageToBuffer(msg);
  } catch (e) {
    if (e instanceof EncodeError) {
      stats.encodeErrors++;
      return undefined;
    }
    return { message: `re-encoding a decoded value threw ${describe(e)}, not an EncodeError`, cause: e };
  }
  if (first.equals(input)) {
    stats.reencodedIdentical++;
    return undefined;
  }
  try {
    const second = encodeMessageToBuffer(decodeMessage(first));
    if (!second.equals(first)) return { message: `unstable round trip: ${first.toString('hex')} re-encodes as ${second.toString('hex')}` };
  } catch (e) {
    return { message: `our own encoding ${first.toString('hex')} does not decode and re-encode: ${describe(e)}`, cause: e };
  }
  return undefined;
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function runFuzz(opts: FuzzOptions): FuzzStats {
  const rng = new Prng(opts.seed);
  const mutator = new Mutator(opts.samples, rng);
  const every = opts.progressEvery ?? 1_000_000;
  const sampleEvery = 4096;
  const decode = opts.decode ?? decodeMessage;
  const roundTrip = opts.roundTrip ?? true;

  // Twice: the first call also builds the vm context that exposes gc, which is then garbage.
  fullGc();
  fullGc();
  const baseline = memoryInUse();
  const stats: FuzzStats = {
    inputs: 0,
    decoded: 0,
    decodeErrors: 0,
    reencodedIdentical: 0,
    encodeErrors: 0,
    knownBugHits: 0,
    seconds: 0,
    slowestDecodeMs: 0,
    slowestInput: '',
    worstSizeRatio: 0,
    peakMemoryGrowth: 0,
    retainedMemoryGrowth: 0,
    made: mutator.made,
  };
  const started = performance.now();

  for (let i = 0; i < opts.count; i++) {
    const input = mutator.next();
    const t0 = performance.now();
    let msg: unknown;
    try {
      msg = decode(input);
      stats.decoded++;
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        throw new FuzzFailure(`decodeMessage threw ${describe(e)}, not a DecodeError`, opts.seed, i, hex(input), e);
      }
      stats.decodeErrors++;
    }
    let ms = performance.now() - t0;
    // A slow one may just be a GC pause or the machine being busy: time it again, keep the best.
    if (ms > stats.slowestDecodeMs && ms > 1) ms = Math.min(ms, retime(decode, input));
    if (ms > stats.slowestDecodeMs) {
      stats.slowestDecodeMs = ms;
      stats.slowestInput = hex(input);
    }
    if (msg !== undefined) {
      const ratio = largestDecodedSize(msg, input.length);
      if (ratio > stats.worstSizeRatio) stats.worstSizeRatio = ratio;
      if (ratio > 1) throw new FuzzFailure(`decoded value holds an array or bytes larger than the input (ratio ${ratio.toFixed(2)})`, opts.seed, i, hex(input));
      if (roundTrip) {
        const problem = checkRoundTrip(msg as OfMessage, input, stats);
        if (problem && KNOWN_ROUND_TRIP_BUGS.some((known) => known(input))) stats.knownBugHits++;
        else if (problem) throw new FuzzFailure(problem.message, opts.seed, i, hex(input), problem.cause);
      }
    }
    if ((i & (sampleEvery - 1)) === 0) stats.peakMemoryGrowth = Math.max(stats.peakMemoryGrowth, memoryInUse() - baseline);
    stats.inputs = i + 1;
    if (opts.onProgress && stats.inputs % every === 0) {
      stats.seconds = (performance.now() - started) / 1000;
      opts.onProgress(stats.inputs, stats);
    }
  }

  stats.seconds = (performance.now() - started) / 1000;
  fullGc();
  fullGc();
  stats.retainedMemoryGrowth = memoryInUse() - baseline;
  return stats;
}

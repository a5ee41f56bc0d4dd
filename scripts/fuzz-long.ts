/**
 * The long fuzz run of the OpenFlow codec: the same loop as test/openflow/fuzz.test.ts (random and
 * mutated OVS-made messages; decodeMessage must return a value or throw a DecodeError, whatever
 * decodes must re-encode stably, time and memory stay bounded), for as many inputs as you like.
 *
 *   npx tsx scripts/fuzz-long.ts --count 100000000 --seed 7
 *
 * Needs ovs-ofctl and ovs-vswitchd (the corpus is made by OVS at start, ~2 s, see test/support/ovs-corpus.ts). Prints progress every 1M inputs and a
 * JSON summary; exits 1 with the seed, input index and hex of the first failing input.
 * Speed: about 100k inputs/s on one core (1M in 8-11 s here), so 100M take 17-20 minutes.
 */
import { FuzzFailure, runFuzz } from '../test/support/fuzz-run.js';
import { ovsCorpus } from '../test/support/ovs-corpus.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer, got ${process.argv[at + 1]}`);
  return v;
}

const count = arg('count', 10_000_000);
const seed = arg('seed', 1);
const mib = (n: number): string => (n / 2 ** 20).toFixed(1);

try {
  const stats = runFuzz({
    count,
    seed,
    samples: ovsCorpus().map((s) => s.bytes),
    progressEvery: 1_000_000,
    onProgress: (done, s) =>
      console.log(`${done} inputs, ${s.seconds.toFixed(0)} s, ${s.decoded} decoded, slowest ${s.slowestDecodeMs.toFixed(2)} ms, peak +${mib(s.peakMemoryGrowth)} MiB`),
  });
  const { slowestInput, ...summary } = stats;
  console.log(JSON.stringify({ count, seed, ...summary, slowestInputHex: slowestInput.slice(0, 256) }, null, 2));
} catch (e) {
  if (e instanceof FuzzFailure) {
    console.error(`FAILED at input #${e.index} (seed ${e.seed}):\n${e.message}\nfull input hex: ${e.inputHex}`);
    if (e.cause instanceof Error) console.error(e.cause.stack);
    process.exit(1);
  }
  throw e;
}

/**
 * Mangled flow text (truncated, characters dropped or inserted, numbers blown up) must end in a
 * ParseError, never in a TypeError or a silent garbage FlowMod: what parses must encode (or refuse
 * with EncodeError) and survive a decode/encode round trip.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { EncodeError, ParseError } from '../../src/openflow/errors.js';
import { decodeMessage, encodeMessageToBuffer, type FlowMod } from '../../src/openflow/messages/index.js';
import { parseFlow, type FlowCommandName } from '../../src/openflow/text/flow.js';

const FIXTURES = (
  JSON.parse(readFileSync(new URL('../fixtures/codec/flows.json', import.meta.url), 'utf8')) as {
    fixtures: Array<{ input: string; command: FlowCommandName }>;
  }
).fixtures;

/** Small deterministic LCG, so a failure reproduces. */
function lcg(seed: number): (n: number) => number {
  return (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
}

function mangle(text: string, rnd: (n: number) => number): string {
  const at = rnd(text.length + 1);
  switch (rnd(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + rnd(5));
    case 2:
      return text.slice(0, at) + ',=()/:[]-x'[rnd(10)] + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at).replace(/[0-9]+/, String([0, 256, 65536, 4294967296, 99999999999][rnd(5)]));
  }
}

test('mangled flows fail only with ParseError, and whatever parses round-trips', () => {
  const rnd = lcg(2024);
  let parsed = 0;
  let refused = 0;
  for (let i = 0; i < 4000; i++) {
    const { input, command } = FIXTURES[rnd(FIXTURES.length)];
    const text = mangle(input, rnd);
    let fm: FlowMod;
    try {
      fm = parseFlow(text, { command });
    } catch (e) {
      if (!(e instanceof ParseError)) throw new Error(`${command} "${text}" threw ${String(e)}`);
      refused++;
      continue;
    }
    parsed++;
    let bytes: Buffer;
    try {
      bytes = encodeMessageToBuffer(fm);
    } catch (e) {
      if (!(e instanceof EncodeError)) throw new Error(`${command} "${text}" parsed but encoding threw ${String(e)}`);
      continue;
    }
    expect(encodeMessageToBuffer(decodeMessage(bytes)).equals(bytes), `${command} "${text}"`).toBe(true);
  }
  // Both outcomes must really occur, or the mangling is not exercising anything.
  expect(parsed).toBeGreaterThan(500);
  expect(refused).toBeGreaterThan(500);
});

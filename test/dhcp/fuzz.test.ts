import { describe, expect, it } from 'vitest';
import { MessageType } from '../../src/dhcp/constants.js';
import { parseDhcp } from '../../src/dhcp/message.js';
import { answerDhcp } from '../../src/dhcp/responder.js';
import { PacketError } from '../../src/packets/errors.js';
import { parseUdpFrame } from '../../src/packets/udp-frame.js';
import { Prng } from '../support/prng.js';
import { clientFrame, decodeReply, dhclientDiscover, LEASE } from './support/client.js';

/** Valid requests of every kind, the real dhclient frame among them, to mutate. */
const SAMPLES: Buffer[] = [
  dhclientDiscover(),
  clientFrame({ type: MessageType.DISCOVER, parameterList: [1, 3, 6, 121], extra: [{ code: 61, data: Uint8Array.of(1, 2, 3) }] }),
  clientFrame({ type: MessageType.REQUEST, serverId: '10.0.0.2', requestedIp: '10.0.0.5' }),
  clientFrame({ type: MessageType.REQUEST, requestedIp: '10.0.0.5', vlan: { pcp: 0, dei: false, vid: 5 } }),
  clientFrame({ type: MessageType.REQUEST, ciaddr: '10.0.0.5', flags: 0x8000 }),
  clientFrame({ type: MessageType.INFORM, ciaddr: '10.0.0.5' }),
  clientFrame({ type: MessageType.RELEASE, ciaddr: '10.0.0.5' }),
];

/** Offsets of length-like fields worth breaking in an untagged/tagged sample: IHL, IP total length, UDP length, first options. */
function lengthSpots(f: Uint8Array): number[] {
  const l3 = f[12] === 0x81 ? 18 : 14;
  return [l3, l3 + 2, l3 + 3, l3 + 20 + 4, l3 + 20 + 5, l3 + 28 + 2, l3 + 28 + 241, l3 + 28 + 244];
}

function mutant(rng: Prng): Uint8Array {
  const base = rng.pick(SAMPLES);
  let out = Uint8Array.from(base);
  const edits = rng.range(1, 4);
  for (let e = 0; e < edits; e++) {
    const k = rng.int(7);
    if (k === 0) out[rng.int(out.length)] ^= 1 << rng.int(8);
    else if (k === 1) out[rng.int(out.length)] = rng.pick([0, 1, 0x35, 0x7f, 0x80, 0xfe, 0xff, rng.u32() & 0xff]);
    else if (k === 2) {
      const at = rng.pick(lengthSpots(out));
      if (at < out.length) out[at] = rng.pick([0, 1, 4, 5, 8, 0x0f, 0x45, 0x4f, 0xff, rng.u32() & 0xff]);
    } else if (k === 3) out = out.subarray(0, rng.int(out.length + 1));
    else if (k === 4) {
      const tail = new Uint8Array(rng.int(64));
      rng.fill(tail);
      out = Uint8Array.from([...out, ...tail]);
    } else if (k === 5) {
      // Random option bytes right after the magic cookie: the TLV walker's hardest input.
      const at = (out[12] === 0x81 ? 18 : 14) + 28 + 240;
      for (let i = at; i < Math.min(out.length, at + rng.int(40)); i++) out[i] = rng.u32() & 0xff;
    } else {
      out = new Uint8Array(rng.int(400));
      rng.fill(out);
    }
  }
  return out;
}

describe('answerDhcp under fuzzing', () => {
  it('never throws on thousands of mutated frames, and every reply it builds is well formed', () => {
    const rng = new Prng(0xd4c9);
    const kinds = { reply: 0, ignore: 0 };
    const reasons = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const input = mutant(rng);
      let answer;
      try {
        answer = answerDhcp(input, LEASE);
      } catch (e) {
        throw new Error(`mutant ${i} (${Buffer.from(input).toString('hex')}) threw: ${String(e)}`);
      }
      kinds[answer.kind]++;
      if (answer.kind === 'ignore') {
        expect(typeof answer.reason).toBe('string');
        reasons.add(answer.reason.replace(/[\d.:a-f]{4,}|\d+/g, 'N'));
      } else {
        const r = decodeReply(answer.frame);
        expect(r.udp.checksumOk).toBe(true);
        expect(r.udp.payload.length).toBeGreaterThanOrEqual(300);
      }
      // The codecs below the responder throw nothing but PacketError.
      for (const parse of [() => parseUdpFrame(input), () => parseDhcp(input.subarray(42))]) {
        try {
          parse();
        } catch (e) {
          if (!(e instanceof PacketError)) throw new Error(`mutant ${i} threw ${String(e)}`);
        }
      }
    }
    // The mix reaches both outcomes and many distinct rejection reasons, so the fuzzing goes deep.
    expect(kinds.reply).toBeGreaterThan(200);
    expect(kinds.ignore).toBeGreaterThan(2000);
    expect(reasons.size).toBeGreaterThan(15);
  });
});

import { DecodeError } from '../../src/openflow/errors.js';
import { decodeMessage } from '../../src/openflow/messages/index.js';

/** What decoding gave: the message, or the DecodeError's message. Any other throw escapes (it is a bug). */
export type DecodeOutcome = { ok: true; msg: unknown } | { ok: false; error: string };

export function decodeOutcome(buf: Uint8Array, offset?: number, length?: number): DecodeOutcome {
  try {
    return { ok: true, msg: decodeMessage(buf, offset, length) };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Concatenates messages into one stream, as a switch would send them back to back. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

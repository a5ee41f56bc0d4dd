import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodeMessageToBuffer, formatMessage } from '../../src/openflow/messages/index.js';
import type { OfMessage } from '../../src/openflow/messages/index.js';
import { Writer } from '../../src/openflow/bytes.js';
import { EncodeError } from '../../src/openflow/errors.js';
import { ofpPrint } from './messages-ovs.js';
import { sampleMessages } from './messages-samples.js';

/** Messages whose whole ofp-print text formatMessage reproduces. */
const EXACT_TEXT = new Set([
  'hello',
  'error',
  'echo_request',
  'echo_reply',
  'features_request',
  'features_reply',
  'get_config_request',
  'get_config_reply',
  'set_config',
  'barrier_request',
  'barrier_reply',
  'role_request',
  'role_reply',
  'get_async_request',
  'get_async_reply',
  'set_async',
  'port_status',
  'port_mod',
  'multipart_request',
  'table_mod',
  'flow_mod',
  'flow_removed',
  'group_mod',
  'meter_mod',
  'bundle_control',
  'bundle_add_message',
  'nx_set_packet_in_format',
  'nx_set_controller_id',
  'packet_in',
  'packet_out',
  'nx_packet_in2',
]);
const EXACT_REPLY_TEXT = new Set(['desc', 'flow', 'aggregate', 'table', 'port_stats', 'queue', 'port_desc', 'group_desc', 'group', 'meter', 'meter_config', 'meter_features']);

function printsExactly(m: OfMessage): boolean {
  return EXACT_TEXT.has(m.type) || (m.type === 'multipart_reply' && EXACT_REPLY_TEXT.has(m.body.kind));
}

describe('every message type we encode', () => {
  let samples: OfMessage[];
  beforeAll(() => {
    samples = sampleMessages();
  });

  it('covers the message types the controller uses', () => {
    const types = new Set(samples.map((s) => s.type));
    expect(types.size).toBeGreaterThanOrEqual(32);
  });

  it('is accepted by ovs-ofctl ofp-print under the right name, without errors', () => {
    for (const s of samples) {
      const bytes = encodeMessageToBuffer(s);
      const text = ofpPrint(bytes);
      expect(text, `${s.type}: ${text}`).not.toContain('***');
      const ovsName = text.split(' (')[0];
      expect(formatMessage(s).split(' (')[0], s.type).toBe(ovsName);
      if (printsExactly(s)) expect(formatMessage(s), s.type).toBe(text);
    }
  });

  it('decodes back to the same value and re-encodes byte-identically', () => {
    for (const s of samples) {
      const bytes = encodeMessageToBuffer(s);
      const decoded = decodeMessage(bytes);
      expect(decoded, s.type).toEqual(s);
      expect(encodeMessageToBuffer(decoded).equals(bytes), s.type).toBe(true);
    }
  });

  it('appends many messages to one Writer, each with its own back-filled length', () => {
    const w = new Writer(16);
    for (const s of samples) encodeMessage(w, s);
    const all = w.copyFrom(0);
    let off = 0;
    for (const s of samples) {
      const len = all.readUInt16BE(off + 2);
      expect(decodeMessage(all, off, len), s.type).toEqual(s);
      off += len;
    }
    expect(off).toBe(all.length);
  });
});

describe('encode failures', () => {
  it('leave the Writer as it was before the failing message (batch stays sendable)', () => {
    const [hello, err] = sampleMessages();
    const w = new Writer(64);
    encodeMessage(w, hello);
    const before = w.pos;
    const tooLong: OfMessage = { type: 'echo_request', version: 4, xid: 1, data: new Uint8Array(70000) };
    expect(() => encodeMessage(w, tooLong)).toThrow(EncodeError);
    expect(w.pos).toBe(before);
    encodeMessage(w, err);
    expect(decodeMessage(w.buf, before, w.pos - before)).toEqual(err);
  });
});

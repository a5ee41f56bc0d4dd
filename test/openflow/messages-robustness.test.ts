import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/openflow/errors.js';
import {
  decodeMessage,
  encodeMessageToBuffer,
  errorByName,
  errorName,
  failedRequest,
  formatMessage,
} from '../../src/openflow/messages/index.js';
import type { ErrorMsg, OfMessage } from '../../src/openflow/messages/index.js';
import { ofpParseMany, ofpPrint, ovsFlowMod } from './messages-ovs.js';
import { sampleMessages } from './messages-samples.js';

function withLength(bytes: Uint8Array, len: number): Buffer {
  const b = Buffer.from(bytes.subarray(0, len));
  b.writeUInt16BE(len, 2);
  return b;
}

/** Messages whose every truncation must be rejected (no variable-length tail that could absorb it). */
const FIXED = new Set([
  'features_reply',
  'get_config_reply',
  'set_config',
  'flow_removed',
  'port_status',
  'port_mod',
  'table_mod',
  'role_request',
  'role_reply',
  'get_async_reply',
  'set_async',
  'nx_set_packet_in_format',
  'nx_set_controller_id',
]);

describe('malformed input', () => {
  const samples = sampleMessages();

  it('rejects buffers shorter than a header, and header lengths that disagree with the buffer', () => {
    expect(() => decodeMessage(new Uint8Array(7))).toThrow(DecodeError);
    expect(() => decodeMessage(Buffer.from('0405000700000001', 'hex'))).toThrow(DecodeError);
    expect(() => decodeMessage(Buffer.from('0405000900000001', 'hex'))).toThrow(DecodeError);
    expect(() => decodeMessage(Buffer.from('040500080000000100', 'hex'))).toThrow(DecodeError);
    expect(() => decodeMessage(Buffer.from('0405000800000001', 'hex'), 4)).toThrow(DecodeError);
  });

  it('throws only DecodeError for every truncation of every message', () => {
    for (const s of samples) {
      const bytes = encodeMessageToBuffer(s);
      for (let len = 8; len < bytes.length; len++) {
        const cut = withLength(bytes, len);
        let err: unknown;
        try {
          decodeMessage(cut);
        } catch (e) {
          err = e;
        }
        if (err !== undefined) expect(err, `${s.type} cut to ${len}`).toBeInstanceOf(DecodeError);
        else expect(FIXED.has(s.type), `${s.type} cut to ${len} decoded`).toBe(false);
      }
      // A body decoder must not read past the message into the bytes after it.
      expect(() => decodeMessage(Buffer.concat([bytes, Buffer.alloc(8)]), 0, bytes.length)).not.toThrow();
    }
  });

  it('throws only DecodeError on corrupted bytes (each byte set to 0xff)', () => {
    for (const s of samples) {
      const bytes = encodeMessageToBuffer(s);
      for (let i = 4; i < bytes.length; i++) {
        const bad = Buffer.from(bytes);
        bad[i] = bad[i] === 0xff ? 0 : 0xff;
        try {
          decodeMessage(bad);
        } catch (e) {
          expect(e, `${s.type} byte ${i}`).toBeInstanceOf(DecodeError);
        }
      }
    }
  });

  it('rejects nested lengths that are too short or overrun (bucket, band, hello element, multipart entry)', () => {
    const gm = samples.find((s) => s.type === 'group_mod')!;
    const b = encodeMessageToBuffer(gm);
    b.writeUInt16BE(8, 16); // first bucket length below its 16-byte fixed part
    expect(() => decodeMessage(b)).toThrow(DecodeError);
    b.writeUInt16BE(0x1000, 16);
    expect(() => decodeMessage(b)).toThrow(DecodeError);
    const hello = Buffer.from('040000100000000100010020 00000052'.replace(/ /g, ''), 'hex');
    expect(() => decodeMessage(hello)).toThrow(DecodeError);
  });
});

describe('unknown messages', () => {
  it('decode to {type: unknown} and re-encode byte-identically', () => {
    // An unknown type; FEATURES_REQUEST in OF1.0 and in a version after OF1.5; an unknown OF1.5 type.
    for (const hex of ['0463000c0000000701020304', '0105000800000001', '0705000800000001', '0663000c0000000101020304']) {
      const bytes = Buffer.from(hex, 'hex');
      const m = decodeMessage(bytes);
      expect(m.type).toBe('unknown');
      expect(encodeMessageToBuffer(m).equals(bytes)).toBe(true);
    }
  });

  it('keeps experimenter messages of other vendors raw', () => {
    const bytes = Buffer.from('0404001400000001000012340000001001020304', 'hex');
    const m = decodeMessage(bytes);
    expect(m).toMatchObject({ type: 'experimenter', experimenter: 0x1234, expType: 0x10 });
    expect(encodeMessageToBuffer(m).equals(bytes)).toBe(true);
  });
});

describe('ERROR names', () => {
  const barrier = Buffer.from('0414000800000063', 'hex');
  const err = (errType: number, code: number, experimenter?: number): ErrorMsg => ({
    type: 'error',
    version: 4,
    xid: 1,
    errType,
    code,
    ...(experimenter === undefined ? {} : { experimenter }),
    data: barrier,
  });

  it('match ovs-ofctl for every standard OF1.3 type/code and the NX and ONF experimenter codes', () => {
    const cases: ErrorMsg[] = [];
    for (let t = 0; t <= 13; t++) for (let c = 0; c < 17; c++) if (errorName(4, t, c)) cases.push(err(t, c));
    for (let c = 0; c < 40; c++) if (errorName(4, 0xffff, c, 0x2320)) cases.push(err(0xffff, c, 0x2320));
    for (const c of [2300, 2305, 2313, 2315, 2600, 4250, 4443, 4448]) cases.push(err(0xffff, c, 0x4f4e4600));
    expect(cases.length).toBeGreaterThan(140);
    const out = ofpParseMany(cases.map((c) => encodeMessageToBuffer(c)));
    const names = out
      .split('\n')
      .filter((l) => l.startsWith('OFPT_ERROR'))
      .map((l) => l.split(': ')[1]);
    expect(names).toEqual(cases.map((c) => errorName(4, c.errType, c.code, c.experimenter)));
    // errorByName is the inverse, used to build ERROR replies.
    for (const c of cases) {
      const back = errorByName(4, errorName(4, c.errType, c.code, c.experimenter)!);
      expect(back).toEqual({ errType: c.errType, code: c.code, ...(c.experimenter === undefined ? {} : { experimenter: c.experimenter }) });
    }
    expect(errorByName(4, 'OFPBRC_NO_SUCH_THING')).toBeUndefined();
  });

  it('match ovs-ofctl for the OF1.4 and OF1.5 codes (property, async, monitor, bundle errors)', () => {
    for (const version of [5, 6]) {
      const cases: ErrorMsg[] = [];
      for (let t = 0; t <= 17; t++) for (let c = 0; c < 20; c++) if (errorName(version, t, c)) cases.push({ ...err(t, c), version });
      for (let c = 0; c < 40; c++) if (errorName(version, 0xffff, c, 0x2320)) cases.push({ ...err(0xffff, c, 0x2320), version });
      const out = ofpParseMany(cases.map((c) => encodeMessageToBuffer({ ...c, data: Buffer.from([version, 20, 0, 8, 0, 0, 0, 99]) })));
      const names = out
        .split('\n')
        .filter((l) => l.startsWith('OFPT_ERROR'))
        .map((l) => l.split(': ')[1]);
      expect(names, `version ${version}`).toEqual(cases.map((c) => errorName(version, c.errType, c.code, c.experimenter)));
    }
  });

  it('prints the failing request decoded, as ovs-ofctl does', () => {
    const fmBytes = ovsFlowMod('table=7,priority=10,ip,actions=drop').bytes;
    const e = err(5, 6);
    e.data = fmBytes;
    const req = failedRequest(e) as OfMessage;
    expect(req.type).toBe('flow_mod');
    expect(formatMessage(e)).toBe(ofpPrint(encodeMessageToBuffer(e)));
    e.data = fmBytes.subarray(0, 20);
    expect(failedRequest(e)).toMatchObject({ type: 'truncated', rawType: 14, length: fmBytes.length });
  });

  it('decodes HELLO_FAILED text', () => {
    const e = { ...err(0, 0), data: Buffer.from('no common version') };
    expect(formatMessage(e)).toBe(ofpPrint(encodeMessageToBuffer(e)));
    expect(failedRequest(e)).toBeUndefined();
  });
});

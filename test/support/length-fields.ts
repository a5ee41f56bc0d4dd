/**
 * Where the length fields are in an OVS-made message (header, flow/group stats entry, match, OXM,
 * instruction, action, bucket, meter band, hello element, group/bucket property), so fuzzers can rewrite exactly those. This walks
 * only layouts the corpus contains; anything else is reported as just the header length.
 */

export type LengthKind = 'header' | 'stats-entry' | 'band' | 'match' | 'oxm' | 'instruction' | 'action' | 'bucket' | 'hello-element' | 'property';

export interface LengthField {
  readonly kind: LengthKind;
  /** Offset of the length field in the message. */
  readonly pos: number;
  readonly width: 1 | 2;
  /** Smallest length the TLV can declare (its fixed part). */
  readonly min: number;
  /** Whether the spec requires a multiple of 8. */
  readonly align8: boolean;
  /** Bytes from the TLV's first byte to the end of its parent: any larger length overruns the parent. */
  readonly room: number;
}

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];

const OFPT_HELLO = 0;
const OFPT_PACKET_IN = 10;
const OFPT_FLOW_REMOVED = 11;
const OFPT_PACKET_OUT = 13;
const OFPT_FLOW_MOD = 14;
const OFPT_GROUP_MOD = 15;
const OFPT_MULTIPART_REPLY = 19;
const OFPT_METER_MOD = 29;
const OFPMP_FLOW = 1;
const OFPMP_GROUP_DESC = 7;
const OFP13 = 4;
const OFP15 = 6;

export function lengthFields(msg: Uint8Array): LengthField[] {
  const out: LengthField[] = [{ kind: 'header', pos: 2, width: 2, min: 8, align8: false, room: msg.length }];
  const type = msg[1];
  try {
    if (type === OFPT_HELLO) tlvs(msg, 8, msg.length, 'hello-element', 4, false, out);
    else if (type === OFPT_FLOW_MOD) matchAndInstructions(msg, 48, msg.length, out);
    else if (type === OFPT_GROUP_MOD) {
      if (msg[0] === OFP15) groupMod15(msg, out);
      else buckets13(msg, 16, msg.length, out);
    } else if (msg[0] === OFP13 && type === OFPT_PACKET_IN) match(msg, 24, out);
    else if (msg[0] === OFP13 && type === OFPT_FLOW_REMOVED) match(msg, 48, out);
    else if (msg[0] !== OFP15 && type === OFPT_MULTIPART_REPLY) multipartReply(msg, out);
    else if (msg[0] === OFP13 && type === OFPT_PACKET_OUT) {
      // buffer_id, in_port, actions_len, pad: the actions, then the packet.
      tlvs(msg, 24, 24 + u16(msg, 16), 'action', 8, true, out);
    } else if (msg[0] === OFP13 && type === OFPT_METER_MOD) tlvs(msg, 16, msg.length, 'band', 16, false, out);
  } catch {
    // A layout we do not understand: the fields found so far are still right.
  }
  return out;
}

/** Generic type(2)+len(2) TLV list in [from, end); returns the TLV starts. */
function tlvs(b: Uint8Array, from: number, end: number, kind: LengthKind, min: number, align8: boolean, out: LengthField[]): number[] {
  const starts: number[] = [];
  for (let at = from; at + 4 <= end; ) {
    const len = u16(b, at + 2);
    if (len < min || at + len > end) throw new Error('stop');
    out.push({ kind, pos: at + 2, width: 2, min, align8, room: end - at });
    starts.push(at);
    at += kind === 'hello-element' || kind === 'property' ? Math.ceil(len / 8) * 8 : len;
  }
  return starts;
}

/** ofp_match (type, length, OXMs) at `at`; returns where what follows it (after padding) starts. */
function match(b: Uint8Array, at: number, out: LengthField[], end = b.length): number {
  const matchLen = u16(b, at + 2);
  out.push({ kind: 'match', pos: at + 2, width: 2, min: 4, align8: false, room: end - at });
  const matchEnd = at + matchLen;
  for (let oxm = at + 4; oxm + 4 <= matchEnd; ) {
    out.push({ kind: 'oxm', pos: oxm + 3, width: 1, min: 0, align8: false, room: matchEnd - oxm - 4 });
    oxm += 4 + b[oxm + 3];
  }
  return at + Math.ceil(matchLen / 8) * 8;
}

/** A match followed by instructions up to `end` (flow_mod, flow stats entry). */
function matchAndInstructions(b: Uint8Array, matchAt: number, end: number, out: LengthField[]): void {
  const instAt = match(b, matchAt, out, end);
  for (const at of tlvs(b, instAt, end, 'instruction', 4, true, out)) {
    const itype = u16(b, at);
    // WRITE_ACTIONS 3, APPLY_ACTIONS 4 carry actions after an 8-byte instruction header.
    if (itype === 3 || itype === 4) tlvs(b, at + 8, at + u16(b, at + 2), 'action', 8, true, out);
  }
}

/** OF1.3/1.4 flow stats (match at +48 of each entry) and group desc (buckets at +8) replies. */
function multipartReply(b: Uint8Array, out: LengthField[]): void {
  const mpType = u16(b, 8);
  if (mpType !== OFPMP_FLOW && mpType !== OFPMP_GROUP_DESC) return;
  const fixed = mpType === OFPMP_FLOW ? 48 : 8;
  for (let at = 16; at + fixed <= b.length; ) {
    const len = u16(b, at);
    if (len < fixed || at + len > b.length) return;
    out.push({ kind: 'stats-entry', pos: at, width: 2, min: fixed, align8: true, room: b.length - at });
    if (mpType === OFPMP_FLOW) matchAndInstructions(b, at + 48, at + len, out);
    else buckets13(b, at + 8, at + len, out);
    at += len;
  }
}

function buckets13(b: Uint8Array, from: number, end: number, out: LengthField[]): void {
  for (let at = from; at + 16 <= end; ) {
    const len = u16(b, at);
    if (len < 16 || at + len > end) return;
    out.push({ kind: 'bucket', pos: at, width: 2, min: 16, align8: true, room: end - at });
    tlvs(b, at + 16, at + len, 'action', 8, true, out);
    at += len;
  }
}

/** OF1.5 group_mod: 24-byte fixed part, bucket array (its length at 16), then group properties. */
function groupMod15(b: Uint8Array, out: LengthField[]): void {
  const bucketsEnd = 24 + u16(b, 16);
  for (let at = 24; at + 8 <= bucketsEnd; ) {
    const len = u16(b, at);
    const actionsLen = u16(b, at + 2);
    if (len < 8 || at + len > bucketsEnd) return;
    out.push({ kind: 'bucket', pos: at, width: 2, min: 8, align8: true, room: bucketsEnd - at });
    tlvs(b, at + 8, at + 8 + actionsLen, 'action', 8, true, out);
    tlvs(b, at + 8 + actionsLen, at + len, 'property', 4, false, out);
    at += len;
  }
  tlvs(b, bucketsEnd, b.length, 'property', 4, false, out);
}

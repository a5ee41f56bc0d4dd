/**
 * Flow identity and equality built straight from wire bytes (no decoding, no text), so a
 * reconnect diff of 100k flows is a Map lookup and a few compares per flow.
 *
 * identity key = table, priority, canonical match  (what OpenFlow's *_STRICT commands match on)
 * settings     = cookie, idle/hard timeouts, reported flags, instruction bytes (what ADD would change)
 *
 * Byte strings are Latin-1 slices of one string per message/frame (one char per byte), so a slice
 * costs no copy. The match is canonicalised because OVS dumps fields in its own order and
 * normalises masks: TLVs are sorted, an all-ones mask is dropped, value bits outside the mask cleared.
 */

/** `ofp_flow_mod_flags` OVS reports back in flow stats (SEND_FLOW_REM, NO_PKT_COUNTS, NO_BYT_COUNTS). */
export const REPORTED_FLAGS_MASK = 0x1 | 0x8 | 0x10;

const OXM_CLASS_EXPERIMENTER = 0xffff;
const MATCH_OFFSET = 48;

/** A Buffer view (no copy) of bytes that may be a plain Uint8Array. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Byte offsets of the fields both ofp_flow_mod and ofp_flow_stats carry (the match is at 48 in both). */
export interface FlowLayout {
  table: number;
  priority: number;
  idle: number;
  hard: number;
  flags: number;
  cookie: number;
}
export const FLOW_MOD_LAYOUT: FlowLayout = { table: 24, priority: 30, idle: 26, hard: 28, flags: 44, cookie: 8 };
export const FLOW_STATS_LAYOUT: FlowLayout = { table: 2, priority: 12, idle: 14, hard: 16, flags: 18, cookie: 24 };

export class FlowIdentity {
  constructor(
    /** Identity: table + priority + canonical match. */
    readonly key: string,
    readonly tableId: number,
    readonly priority: number,
    readonly cookieHi: number,
    readonly cookieLo: number,
    readonly idleTimeout: number,
    readonly hardTimeout: number,
    readonly flags: number,
    /** Instruction bytes as a Latin-1 string. */
    readonly instructions: string,
    /** The whole ofp_match (header, TLVs, padding), a view into the source buffer. */
    readonly matchBytes: Uint8Array,
  ) {}

  get cookie(): bigint {
    return (BigInt(this.cookieHi) << 32n) | BigInt(this.cookieLo);
  }

  /** Same cookie, timeouts, flags and instructions: nothing an ADD would change. */
  sameSettings(o: FlowIdentity): boolean {
    return (
      this.cookieLo === o.cookieLo &&
      this.cookieHi === o.cookieHi &&
      this.idleTimeout === o.idleTimeout &&
      this.hardTimeout === o.hardTimeout &&
      this.flags === o.flags &&
      this.instructions === o.instructions
    );
  }
}

/**
 * Canonical form of the OXM TLVs at [start, end) (the ofp_match without its 4-byte header and
 * padding); `s` is the Latin-1 string of `b`. Fast path: already sorted and nothing to normalise
 * (what OVS sends, and what the codec encodes in OVS order) is a plain slice.
 */
export function canonicalMatch(b: Buffer, s: string, start: number, end: number): string {
  let p = start;
  let prevHeader = -1;
  let simple = true;
  while (p < end) {
    if (p + 4 > end) throw new RangeError(`OXM header truncated at byte ${p}`);
    const header = b.readUInt32BE(p);
    const tlvEnd = p + 4 + b[p + 3];
    if (tlvEnd > end) throw new RangeError(`OXM TLV at byte ${p} overruns the match`);
    if (header <= prevHeader || ((header & 0x100) !== 0 && !maskedIsCanonical(b, p, tlvEnd, header >>> 16 === OXM_CLASS_EXPERIMENTER ? 4 : 0))) {
      simple = false;
    }
    prevHeader = header;
    p = tlvEnd;
  }
  if (simple) return s.slice(start, end);
  // TLVs sorted as strings (header first, big-endian: the numeric header order), by insertion on
  // the header number: matches have a handful of TLVs, and this avoids sort()'s string compares.
  const tlvs: string[] = [];
  const headers: number[] = [];
  for (p = start; p < end; p += 4 + b[p + 3]) {
    const tlvEnd = p + 4 + b[p + 3];
    let header = b.readUInt32BE(p);
    let tlv: string;
    if ((header & 0x100) === 0 || maskedIsCanonical(b, p, tlvEnd, header >>> 16 === OXM_CLASS_EXPERIMENTER ? 4 : 0)) {
      tlv = s.slice(p, tlvEnd);
    } else {
      tlv = normaliseMasked(b, s, p, tlvEnd, header >>> 16 === OXM_CLASS_EXPERIMENTER ? 4 : 0);
      header = ((tlv.charCodeAt(0) << 24) >>> 0) + ((tlv.charCodeAt(1) << 16) | (tlv.charCodeAt(2) << 8) | tlv.charCodeAt(3));
    }
    let j = tlvs.length;
    while (j > 0 && (headers[j - 1] > header || (headers[j - 1] === header && tlvs[j - 1] > tlv))) {
      tlvs[j] = tlvs[j - 1];
      headers[j] = headers[j - 1];
      j--;
    }
    tlvs[j] = tlv;
    headers[j] = header;
  }
  return tlvs.join('');
}

/** A masked TLV OVS would dump unchanged: mask not all ones, no value bit outside it. */
function maskedIsCanonical(b: Buffer, p: number, tlvEnd: number, expLen: number): boolean {
  const payload = p + 4 + expLen;
  const w = (tlvEnd - payload) >> 1;
  let allOnes = true;
  for (let i = 0; i < w; i++) {
    const v = b[payload + i];
    const mask = b[payload + w + i];
    if ((v & mask) !== v) return false;
    if (mask !== 0xff) allOnes = false;
  }
  return !allOnes;
}

/** A masked TLV: value and mask are the two halves of the payload after the experimenter id. */
function normaliseMasked(b: Buffer, s: string, p: number, tlvEnd: number, expLen: number): string {
  const payload = p + 4 + expLen;
  const w = (tlvEnd - payload) >> 1;
  const maskStart = payload + w;
  let allOnes = true;
  for (let i = 0; i < w; i++) if (b[maskStart + i] !== 0xff) allOnes = false;
  const exp = s.slice(p + 4, payload);
  if (allOnes) {
    // The same TLV without HM bit and mask: what OVS dumps for an exact match.
    return s.slice(p, p + 2) + String.fromCharCode(b[p + 2] & 0xfe, expLen + w) + exp + s.slice(payload, maskStart);
  }
  let val = '';
  for (let i = 0; i < w; i++) val += String.fromCharCode(b[payload + i] & b[maskStart + i]);
  return s.slice(p, p + 4) + exp + val + s.slice(maskStart, tlvEnd);
}

/** Identity of the flow in b[start, end) (a FLOW_MOD message or one ofp_flow_stats entry); `s` = Latin-1 of b. */
export function flowIdentity(b: Buffer, s: string, start: number, end: number, l: FlowLayout): FlowIdentity {
  const m = start + MATCH_OFFSET;
  if (m + 4 > end) throw new RangeError('flow too short for its match');
  const matchLen = b.readUInt16BE(m + 2);
  const matchEnd = m + ((matchLen + 7) & ~7);
  if (matchLen < 4 || matchEnd > end) throw new RangeError(`bad ofp_match length ${matchLen}`);
  const tableId = b[start + l.table];
  const priority = b.readUInt16BE(start + l.priority);
  // Table and priority as 3 leading chars; match TLVs after.
  const key = s.slice(start + l.table, start + l.table + 1) + s.slice(start + l.priority, start + l.priority + 2) + canonicalMatch(b, s, m + 4, m + matchLen);
  return new FlowIdentity(
    key,
    tableId,
    priority,
    b.readUInt32BE(start + l.cookie),
    b.readUInt32BE(start + l.cookie + 4),
    b.readUInt16BE(start + l.idle),
    b.readUInt16BE(start + l.hard),
    b.readUInt16BE(start + l.flags) & REPORTED_FLAGS_MASK,
    s.slice(matchEnd, end),
    b.subarray(m, matchEnd),
  );
}

/** Every ofp_flow_stats entry of FLOW multipart reply frames, in order. */
export function flowStatsIdentities(frames: readonly Uint8Array[]): FlowIdentity[] {
  const out: FlowIdentity[] = [];
  for (const frame of frames) {
    const f = asBuffer(frame);
    const end = f.readUInt16BE(2);
    if (end > f.length) throw new RangeError('multipart frame shorter than its header says');
    const s = f.toString('latin1', 0, end);
    // ofp_header(8) + type(2) + flags(2) + pad(4), then entries each led by its 16-bit length.
    for (let p = 16; p < end; ) {
      const len = f.readUInt16BE(p);
      if (len < MATCH_OFFSET + 8 || p + len > end) throw new RangeError(`bad ofp_flow_stats length ${len} at byte ${p}`);
      out.push(flowIdentity(f, s, p, p + len, FLOW_STATS_LAYOUT));
      p += len;
    }
  }
  return out;
}

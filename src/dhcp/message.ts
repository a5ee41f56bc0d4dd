import { need, putU16, putU32, u16, u32 } from '../packets/bytes.js';
import { PacketError } from '../packets/errors.js';
import { MAGIC_COOKIE, Opt } from './constants.js';

/** DHCPv4 message codec (RFC 2131 §2 layout, RFC 2132 options). Addresses are 32-bit numbers. */

export interface DhcpOption {
  code: number;
  /** The option's bytes as received, kept raw so unknown options survive a round trip. */
  data: Uint8Array;
}

export interface DhcpMessage {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: number;
  yiaddr: number;
  siaddr: number;
  giaddr: number;
  /** The 16-byte client hardware address field; the address is its first `hlen` bytes. */
  chaddr: Uint8Array;
  /** In wire order; sname and file are not read (option 52 overload is not honoured). */
  options: DhcpOption[];
}

/** Fixed BOOTP part (236 bytes) plus the magic cookie. */
const FIXED = 236;
const OPTIONS_AT = FIXED + 4;
/** Many clients drop replies whose BOOTP message is below the 300 bytes of RFC 951. */
export const MIN_BOOTP_LENGTH = 300;

/** Throws PacketError on a truncated message, a missing magic cookie (plain BOOTP) or an option overrunning the message. */
export function parseDhcp(bytes: Uint8Array): DhcpMessage {
  need(bytes, 0, OPTIONS_AT, 'DHCP message');
  const cookie = u32(bytes, FIXED);
  if (cookie !== MAGIC_COOKIE) throw new PacketError(`no DHCP magic cookie (0x${cookie.toString(16).padStart(8, '0')}): plain BOOTP`, FIXED);
  const options: DhcpOption[] = [];
  let at = OPTIONS_AT;
  // A missing END is tolerated: some clients end the options at the end of the datagram.
  while (at < bytes.length) {
    const code = bytes[at];
    if (code === Opt.END) break;
    if (code === Opt.PAD) {
      at++;
      continue;
    }
    need(bytes, at, 2, `DHCP option ${code}`);
    const len = bytes[at + 1];
    need(bytes, at + 2, len, `DHCP option ${code} data`);
    options.push({ code, data: bytes.subarray(at + 2, at + 2 + len) });
    at += 2 + len;
  }
  return {
    op: bytes[0],
    htype: bytes[1],
    hlen: bytes[2],
    hops: bytes[3],
    xid: u32(bytes, 4),
    secs: u16(bytes, 8),
    flags: u16(bytes, 10),
    ciaddr: u32(bytes, 12),
    yiaddr: u32(bytes, 16),
    siaddr: u32(bytes, 20),
    giaddr: u32(bytes, 24),
    chaddr: bytes.subarray(28, 44),
    options,
  };
}

/** The value of an option, concatenating split instances (RFC 3396); undefined when absent. */
export function getOption(msg: DhcpMessage, code: number): Uint8Array | undefined {
  const parts = msg.options.filter((o) => o.code === code);
  if (parts.length <= 1) return parts[0]?.data;
  return Buffer.concat(parts.map((p) => p.data));
}

/** A 4-byte option read as an IPv4 address or u32; undefined when absent or not 4 bytes long. */
export function getOptionU32(msg: DhcpMessage, code: number): number | undefined {
  const v = getOption(msg, code);
  return v && v.length === 4 ? u32(v, 0) : undefined;
}

/** Option 53, or undefined when absent or not 1 byte long. */
export function getMessageType(msg: DhcpMessage): number | undefined {
  const v = getOption(msg, Opt.MESSAGE_TYPE);
  return v && v.length === 1 ? v[0] : undefined;
}

/** Builds the message with an END option, padded with zeros to at least `minLength` bytes. */
export function buildDhcp(msg: DhcpMessage, minLength = MIN_BOOTP_LENGTH): Buffer {
  let optionsLen = 1;
  for (const o of msg.options) optionsLen += 2 * Math.max(1, Math.ceil(o.data.length / 255)) + o.data.length;
  const out = Buffer.alloc(Math.max(minLength, OPTIONS_AT + optionsLen));
  out[0] = msg.op;
  out[1] = msg.htype;
  out[2] = msg.hlen;
  out[3] = msg.hops;
  putU32(out, 4, msg.xid);
  putU16(out, 8, msg.secs);
  putU16(out, 10, msg.flags);
  putU32(out, 12, msg.ciaddr);
  putU32(out, 16, msg.yiaddr);
  putU32(out, 20, msg.siaddr);
  putU32(out, 24, msg.giaddr);
  if (msg.chaddr.length > 16) throw new PacketError(`chaddr of ${msg.chaddr.length} bytes exceeds 16`);
  out.set(msg.chaddr, 28);
  putU32(out, FIXED, MAGIC_COOKIE);
  let at = OPTIONS_AT;
  for (const o of msg.options) {
    if (o.code === Opt.PAD || o.code === Opt.END || o.code < 0 || o.code > 255) throw new PacketError(`cannot encode option code ${o.code}`);
    // Values over 255 bytes go out as consecutive instances of the same code (RFC 3396).
    let from = 0;
    do {
      const chunk = o.data.subarray(from, from + 255);
      out[at] = o.code;
      out[at + 1] = chunk.length;
      out.set(chunk, at + 2);
      at += 2 + chunk.length;
      from += 255;
    } while (from < o.data.length);
  }
  out[at] = Opt.END;
  return out;
}


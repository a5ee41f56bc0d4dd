import { describe, expect, it } from 'vitest';
import { MAGIC_COOKIE, MessageType, Opt } from '../../src/dhcp/constants.js';
import { buildDhcp, getMessageType, getOption, getOptionU32, MIN_BOOTP_LENGTH, parseDhcp } from '../../src/dhcp/message.js';
import { PacketError } from '../../src/packets/errors.js';
import { ipv4 } from '../../src/packets/index.js';
import { clientMessage, dhclientDiscover } from './support/client.js';
import { parseUdpFrame } from '../../src/packets/udp-frame.js';

describe('DHCP message codec', () => {
  it('round-trips every fixed field and keeps unknown options raw', () => {
    const m = clientMessage({ type: MessageType.REQUEST, xid: 0xdeadbeef, flags: 0x8000, ciaddr: '10.0.0.5', requestedIp: '10.0.0.5' });
    m.hops = 2;
    m.giaddr = ipv4('192.0.2.1');
    m.siaddr = ipv4('192.0.2.2');
    m.yiaddr = ipv4('192.0.2.3');
    m.options.push({ code: 224, data: Uint8Array.of(1, 2, 3) }, { code: 225, data: new Uint8Array(0) });
    const bytes = buildDhcp(m);
    expect(bytes.length).toBe(MIN_BOOTP_LENGTH);
    expect(bytes.readUInt32BE(236)).toBe(MAGIC_COOKIE);
    const back = parseDhcp(bytes);
    const norm = (x: typeof m) => ({ ...x, chaddr: [...x.chaddr], options: x.options.map((o) => ({ code: o.code, data: [...o.data] })) });
    expect(norm(back)).toEqual(norm(m));
    expect(getMessageType(back)).toBe(MessageType.REQUEST);
    expect(getOptionU32(back, Opt.REQUESTED_IP)).toBe(ipv4('10.0.0.5'));
    expect(getOptionU32(back, Opt.SERVER_ID)).toBeUndefined();
  });

  it('skips pads, stops at END and ignores what follows', () => {
    const m = clientMessage({ type: MessageType.DISCOVER });
    const bytes = buildDhcp(m);
    // Options: 53 len 1 value, END. Put PADs before a 2nd option after the END: it must not be read.
    const edited = Buffer.from(bytes);
    edited.set([0, 0, 53, 1, 1, 255, 12, 2, 0x61, 0x62], 240);
    const back = parseDhcp(edited);
    expect(back.options.map((o) => o.code)).toEqual([53]);
  });

  it('accepts options that run to the end of the datagram without END', () => {
    const bytes = Buffer.from(buildDhcp(clientMessage({ type: MessageType.DISCOVER })).subarray(0, 243));
    expect(getMessageType(parseDhcp(bytes))).toBe(MessageType.DISCOVER);
  });

  it('splits values over 255 bytes into consecutive instances and joins them back (RFC 3396)', () => {
    const m = clientMessage({ type: MessageType.DISCOVER });
    const long = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    m.options.push({ code: 77, data: long });
    const back = parseDhcp(buildDhcp(m));
    expect(back.options.filter((o) => o.code === 77).map((o) => o.data.length)).toEqual([255, 255, 90]);
    expect([...(getOption(back, 77) ?? [])]).toEqual([...long]);
  });

  it('reads the real dhclient DISCOVER', () => {
    const m = parseDhcp(parseUdpFrame(dhclientDiscover()).udp.payload);
    expect(m).toMatchObject({ op: 1, htype: 1, hlen: 6, xid: 0xe50c8963, flags: 0, ciaddr: 0 });
    expect(Buffer.from(m.chaddr.subarray(0, 6)).toString('hex')).toBe('fa163e123456');
    expect(getMessageType(m)).toBe(MessageType.DISCOVER);
    expect(Buffer.from(getOption(m, Opt.HOSTNAME) ?? []).toString()).toBe('vm');
    expect([...(getOption(m, Opt.PARAMETER_LIST) ?? [])]).toEqual([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]);
  });

  it('rejects truncation, plain BOOTP and overrunning options with a PacketError', () => {
    const bytes = buildDhcp(clientMessage({ type: MessageType.DISCOVER }));
    for (let n = 0; n < 240; n++) expect(() => parseDhcp(bytes.subarray(0, n)), `length ${n}`).toThrow(/truncated DHCP message/);
    const bootp = Buffer.from(bytes);
    bootp.writeUInt32BE(0, 236);
    expect(() => parseDhcp(bootp)).toThrow(/no DHCP magic cookie \(0x00000000\): plain BOOTP/);
    const overrun = Buffer.from(bytes.subarray(0, 245));
    overrun.set([12, 9, 0x61, 0x62, 0x63], 240);
    expect(() => parseDhcp(overrun)).toThrow(PacketError);
    expect(() => parseDhcp(overrun)).toThrow(/truncated DHCP option 12 data/);
    expect(() => parseDhcp(Buffer.concat([bytes.subarray(0, 240), Buffer.from([12])]))).toThrow(/truncated DHCP option 12/);
  });

  it('refuses to encode pad/end codes or an oversized chaddr', () => {
    const m = clientMessage({ type: MessageType.DISCOVER });
    expect(() => buildDhcp({ ...m, options: [{ code: 255, data: new Uint8Array(0) }] })).toThrow(PacketError);
    expect(() => buildDhcp({ ...m, chaddr: new Uint8Array(17) })).toThrow(PacketError);
  });
});

import { describe, expect, it } from 'vitest';
import { MessageType, Opt } from '../../src/dhcp/constants.js';
import { getOptionU32 } from '../../src/dhcp/message.js';
import { answerDhcp } from '../../src/dhcp/responder.js';
import { formatIpv4, formatMac } from '../../src/packets/index.js';
import { parseUdpFrame } from '../../src/packets/udp-frame.js';
import { decodeReply, dhclientDiscover, LEASE } from './support/client.js';

/** Bytes a real client sent (isc-dhcp-client 4.4.3, captured on a veth; see test/fixtures/dhcp/README.md). */
describe('the real dhclient DISCOVER', () => {
  it('parses as IPv4/UDP 68 -> 67 with a right UDP checksum', () => {
    const f = parseUdpFrame(dhclientDiscover());
    expect(formatMac(f.eth.src)).toBe('fa:16:3e:12:34:56');
    expect(formatIpv4(f.ip.src)).toBe('0.0.0.0');
    expect(formatIpv4(f.ip.dst)).toBe('255.255.255.255');
    expect(f.udp).toMatchObject({ srcPort: 68, dstPort: 67, checksumOk: true });
  });

  it('gets an OFFER of the port address with the same xid, its requested options first', () => {
    const a = answerDhcp(dhclientDiscover(), LEASE);
    expect(a).toMatchObject({ kind: 'reply', messageType: 'offer' });
    if (a.kind !== 'reply') return;
    const r = decodeReply(a.frame);
    expect(r.type).toBe(MessageType.OFFER);
    expect(r.dhcp.xid).toBe(0xe50c8963);
    expect(formatIpv4(r.dhcp.yiaddr)).toBe('10.0.0.5');
    expect(formatIpv4(getOptionU32(r.dhcp, Opt.SERVER_ID) ?? 0)).toBe('10.0.0.2');
    // dhclient asked for 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42: we have 1, 3, 15, 6, 12, 26, 121.
    expect(r.codes).toEqual([53, 54, 51, 58, 59, 1, 3, 15, 6, 12, 26, 121]);
  });

  it('is ignored for another port (the MAC does not match)', () => {
    expect(answerDhcp(dhclientDiscover(), { ...LEASE, mac: 'fa:16:3e:00:00:01' })).toMatchObject({ kind: 'ignore' });
  });
});

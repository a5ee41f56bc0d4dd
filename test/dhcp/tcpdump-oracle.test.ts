import { beforeAll, describe, expect, it } from 'vitest';
import { FLAG_BROADCAST, MessageType } from '../../src/dhcp/constants.js';
import { answerDhcp } from '../../src/dhcp/responder.js';
import { tcpdumpDecode } from '../packets/support/pcap.js';
import { clientFrame, dhclientDiscover, LEASE, type ClientRequest } from './support/client.js';

/** tcpdump, an independent DHCP decoder, reads the replies we build. */

function replyFrame(frame: Uint8Array): Buffer {
  const a = answerDhcp(frame, LEASE);
  if (a.kind !== 'reply') throw new Error(`expected a reply: ${a.reason}`);
  return a.frame;
}

const request = (r: ClientRequest) => replyFrame(clientFrame(r));

describe('DHCP replies decoded by tcpdump -vvv', () => {
  let offer: string, ack: string, nak: string, inform: string, broadcastOffer: string;
  beforeAll(() => {
    [offer, ack, nak, inform, broadcastOffer] = tcpdumpDecode([
      replyFrame(dhclientDiscover()),
      request({ type: MessageType.REQUEST, serverId: '10.0.0.2', requestedIp: '10.0.0.5', xid: 0xe50c8963 }),
      request({ type: MessageType.REQUEST, requestedIp: '10.9.9.9' }),
      request({ type: MessageType.INFORM, ciaddr: '10.0.0.5' }),
      request({ type: MessageType.DISCOVER, flags: FLAG_BROADCAST }),
    ]);
  });

  it('shows correct IPv4 and UDP checksums on every reply', () => {
    for (const block of [offer, ack, nak, inform, broadcastOffer]) {
      expect(block).toContain('[udp sum ok]');
      expect(block).not.toMatch(/bad (udp )?cksum/);
      expect(block).toMatch(/ttl 64,.*proto UDP \(17\)/);
      expect(block).toMatch(/10\.0\.0\.2\.67 > [\d.]+\.68: \[udp sum ok\] BOOTP\/DHCP, Reply/);
    }
  });

  it('decodes the OFFER to dhclient with every option we send', () => {
    expect(offer).toContain('10.0.0.2.67 > 10.0.0.5.68');
    expect(offer).toContain('xid 0xe50c8963');
    expect(offer).toContain('Your-IP 10.0.0.5');
    expect(offer).toContain('Client-Ethernet-Address fa:16:3e:12:34:56');
    expect(offer).toMatch(/DHCP-Message \(53\), length 1: Offer/);
    expect(offer).toMatch(/Subnet-Mask \(1\), length 4: 255\.255\.255\.0/);
    expect(offer).toMatch(/Default-Gateway \(3\), length 4: 10\.0\.0\.1/);
    expect(offer).toMatch(/Domain-Name-Server \(6\), length 8: 10\.0\.0\.3,8\.8\.8\.8/);
    expect(offer).toMatch(/MTU \(26\), length 2: 1450/);
    expect(offer).toMatch(/Lease-Time \(51\), length 4: 86400/);
    expect(offer).toMatch(/RN \(58\), length 4: 43200/);
    expect(offer).toMatch(/RB \(59\), length 4: 75600/);
    expect(offer).toMatch(/Server-ID \(54\), length 4: 10\.0\.0\.2/);
    expect(offer).toMatch(/Domain-Name \(15\), length 14: "openstacklocal"/);
    expect(offer).toMatch(/Hostname \(12\), length 4: "vm-1"/);
    expect(offer).toMatch(/Classless-Static-Route \(121\), length \d+: \(169\.254\.169\.254\/32:10\.0\.0\.2\),\(default:10\.0\.0\.1\)/);
    expect(offer).not.toMatch(/Unknown|\[\|/);
  });

  it('decodes ACK, NAK and the INFORM ACK', () => {
    expect(ack).toMatch(/DHCP-Message \(53\), length 1: ACK/);
    expect(ack).toContain('Your-IP 10.0.0.5');
    expect(nak).toMatch(/DHCP-Message \(53\), length 1: NACK/);
    expect(nak).toContain('10.0.0.2.67 > 255.255.255.255.68');
    expect(nak).toMatch(/Server-ID \(54\), length 4: 10\.0\.0\.2/);
    expect(nak).toMatch(/MSG \(56\)/);
    expect(nak).not.toMatch(/Lease-Time|Subnet-Mask/);
    expect(inform).toMatch(/DHCP-Message \(53\), length 1: ACK/);
    expect(inform).toContain('Client-IP 10.0.0.5');
    expect(inform).not.toMatch(/Your-IP|Lease-Time/);
    expect(broadcastOffer).toContain('10.0.0.2.67 > 255.255.255.255.68');
    expect(broadcastOffer).toContain('Flags [Broadcast]');
  });
});

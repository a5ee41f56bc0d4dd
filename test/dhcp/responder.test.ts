import { describe, expect, it } from 'vitest';
import { decodeClasslessRoutes } from '../../src/dhcp/classless-routes.js';
import { BOOTREPLY, FLAG_BROADCAST, MessageType, Opt } from '../../src/dhcp/constants.js';
import { getOption, getOptionU32 } from '../../src/dhcp/message.js';
import { answerDhcp, type DhcpAnswer } from '../../src/dhcp/responder.js';
import { formatIpv4, formatMac, ipv4 } from '../../src/packets/index.js';
import { CLIENT_MAC, clientFrame, decodeReply, LEASE, type ClientRequest } from './support/client.js';

function replyTo(r: ClientRequest, lease = LEASE) {
  const a = answerDhcp(clientFrame(r), lease);
  if (a.kind !== 'reply') throw new Error(`expected a reply, got ignore: ${a.reason}`);
  return { answer: a, ...decodeReply(a.frame) };
}

function reasonFor(a: DhcpAnswer): string {
  if (a.kind !== 'ignore') throw new Error(`expected ignore, got a ${a.messageType}`);
  return a.reason;
}

const ip = (text: string) => ipv4(text);
const LEASE_TIMES = [Opt.LEASE_TIME, Opt.RENEWAL_TIME, Opt.REBINDING_TIME];

describe('answerDhcp: DISCOVER', () => {
  it('OFFERs the port address with every configured option, unicast to the client', () => {
    const r = replyTo({ type: MessageType.DISCOVER, xid: 0x11223344 });
    expect(r.answer.messageType).toBe('offer');
    expect(r.type).toBe(MessageType.OFFER);
    expect(formatMac(r.eth.dst)).toBe(CLIENT_MAC);
    expect(formatMac(r.eth.src)).toBe(LEASE.serverMac);
    expect(r.eth.vlan).toBeUndefined();
    expect(formatIpv4(r.ip.src)).toBe('10.0.0.2');
    expect(formatIpv4(r.ip.dst)).toBe('10.0.0.5');
    expect(r.ip.ttl).toBe(64);
    expect(r.udp).toMatchObject({ srcPort: 67, dstPort: 68, checksumOk: true });
    expect(r.udp.checksum).not.toBe(0);
    expect(r.udp.payload.length).toBeGreaterThanOrEqual(300);
    const d = r.dhcp;
    expect(d).toMatchObject({ op: BOOTREPLY, htype: 1, hlen: 6, hops: 0, xid: 0x11223344, flags: 0, ciaddr: 0, yiaddr: ip('10.0.0.5'), giaddr: 0 });
    expect(formatMac(d.chaddr.reduce((v, b, i) => (i < 6 ? v * 256 + b : v), 0))).toBe(CLIENT_MAC);
    expect(r.codes.slice(0, 5)).toEqual([Opt.MESSAGE_TYPE, Opt.SERVER_ID, ...LEASE_TIMES]);
    expect(getOptionU32(d, Opt.SERVER_ID)).toBe(ip('10.0.0.2'));
    expect(getOptionU32(d, Opt.LEASE_TIME)).toBe(86400);
    expect(getOptionU32(d, Opt.RENEWAL_TIME)).toBe(43200);
    expect(getOptionU32(d, Opt.REBINDING_TIME)).toBe(75600);
    expect(getOptionU32(d, Opt.SUBNET_MASK)).toBe(ip('255.255.255.0'));
    expect(getOptionU32(d, Opt.ROUTER)).toBe(ip('10.0.0.1'));
    expect(Buffer.from(getOption(d, Opt.DNS_SERVERS) ?? []).toString('hex')).toBe('0a0000030808' + '0808');
    expect(Buffer.from(getOption(d, Opt.MTU) ?? []).readUInt16BE(0)).toBe(1450);
    expect(Buffer.from(getOption(d, Opt.HOSTNAME) ?? []).toString()).toBe('vm-1');
    expect(Buffer.from(getOption(d, Opt.DOMAIN_NAME) ?? []).toString()).toBe('openstacklocal');
    expect(decodeClasslessRoutes(getOption(d, Opt.CLASSLESS_ROUTES) ?? new Uint8Array(0))).toEqual([
      { destination: '169.254.169.254/32', nexthop: '10.0.0.2' },
      { destination: '0.0.0.0/0', nexthop: '10.0.0.1' },
    ]);
  });

  it('broadcasts when the client sets the broadcast flag, and copies flags and giaddr', () => {
    const a = answerDhcp(
      clientFrame({ type: MessageType.DISCOVER, flags: FLAG_BROADCAST }, (m) => (m.giaddr = ip('192.0.2.9'))),
      LEASE,
    );
    if (a.kind !== 'reply') throw new Error(a.reason);
    const r = decodeReply(a.frame);
    expect(formatMac(r.eth.dst)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatIpv4(r.ip.dst)).toBe('255.255.255.255');
    expect(r.dhcp.flags).toBe(FLAG_BROADCAST);
    expect(r.dhcp.giaddr).toBe(ip('192.0.2.9'));
  });

  it('puts requested options first, in the client order', () => {
    const r = replyTo({ type: MessageType.DISCOVER, parameterList: [121, 26, 15, 1] });
    expect(r.codes.slice(5)).toEqual([121, 26, 15, 1, 3, 6, 12]);
  });

  it('leaves out what the lease does not have', () => {
    const bare = { ...LEASE, gateway: undefined, dnsServers: [], hostRoutes: [], domainName: undefined, hostname: undefined };
    expect(replyTo({ type: MessageType.DISCOVER }, bare).codes).toEqual([53, 54, 51, 58, 59, 1, 26]);
    const routesNoGateway = { ...bare, hostRoutes: [{ destination: '10.1.0.0/16', nexthop: '10.0.0.9' }] };
    const r = replyTo({ type: MessageType.DISCOVER }, routesNoGateway);
    expect(decodeClasslessRoutes(getOption(r.dhcp, Opt.CLASSLESS_ROUTES) ?? new Uint8Array(0))).toEqual(routesNoGateway.hostRoutes);
    // A default route among the host routes is not doubled.
    const withDefault = { ...LEASE, hostRoutes: [{ destination: '0.0.0.0/0', nexthop: '10.0.0.254' }] };
    const d = replyTo({ type: MessageType.DISCOVER }, withDefault).dhcp;
    expect(decodeClasslessRoutes(getOption(d, Opt.CLASSLESS_ROUTES) ?? new Uint8Array(0))).toEqual(withDefault.hostRoutes);
  });

  it('gives an infinite lease without T1/T2', () => {
    const r = replyTo({ type: MessageType.DISCOVER }, { ...LEASE, leaseSeconds: 0xffffffff });
    expect(getOptionU32(r.dhcp, Opt.LEASE_TIME)).toBe(0xffffffff);
    expect(r.codes).not.toContain(Opt.RENEWAL_TIME);
  });

  it('keeps the 802.1Q tag of the request, echoes the client identifier, and answers despite an offloaded UDP checksum', () => {
    const vlan = { pcp: 0, dei: false, vid: 7 };
    const clientId = { code: 61, data: Uint8Array.of(1, 0xfa, 0x16, 0x3e, 0x12, 0x34, 0x56) };
    const frame = clientFrame({ type: MessageType.DISCOVER, vlan, extra: [clientId] });
    frame.writeUInt16BE(0x1234, 18 + 20 + 6); // a partial checksum, as veth tx offload leaves it
    const a = answerDhcp(frame, LEASE);
    if (a.kind !== 'reply') throw new Error(a.reason);
    const r = decodeReply(a.frame);
    expect(r.eth.vlan).toEqual(vlan);
    expect([...(getOption(r.dhcp, 61) ?? [])]).toEqual([...clientId.data]);
  });
});

describe('answerDhcp: REQUEST (RFC 2131 §4.3.2)', () => {
  it('SELECTING: ACKs our own offer, NAKs another address, ignores a request for another server', () => {
    const ack = replyTo({ type: MessageType.REQUEST, serverId: '10.0.0.2', requestedIp: '10.0.0.5' });
    expect(ack.answer.messageType).toBe('ack');
    expect(ack.type).toBe(MessageType.ACK);
    expect(ack.dhcp.yiaddr).toBe(ip('10.0.0.5'));
    expect(ack.codes).toEqual(expect.arrayContaining(LEASE_TIMES));
    expect(formatIpv4(ack.ip.dst)).toBe('10.0.0.5');

    const nak = replyTo({ type: MessageType.REQUEST, serverId: '10.0.0.2', requestedIp: '10.0.0.6' });
    expect(nak.answer.messageType).toBe('nak');
    expect(nak.codes).toEqual([Opt.MESSAGE_TYPE, Opt.SERVER_ID, Opt.MESSAGE]);
    expect(nak.dhcp).toMatchObject({ yiaddr: 0, ciaddr: 0, siaddr: 0 });
    expect(formatMac(nak.eth.dst)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatIpv4(nak.ip.dst)).toBe('255.255.255.255');
    expect(nak.udp.payload.length).toBeGreaterThanOrEqual(300);

    expect(replyTo({ type: MessageType.REQUEST, serverId: '10.0.0.2' }).answer.messageType).toBe('nak');
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.REQUEST, serverId: '10.0.0.99', requestedIp: '10.0.0.5' }), LEASE))).toMatch(
      /for server 10\.0\.0\.99/,
    );
  });

  it('INIT-REBOOT: ACKs the right address and NAKs another', () => {
    expect(replyTo({ type: MessageType.REQUEST, requestedIp: '10.0.0.5' }).answer.messageType).toBe('ack');
    const nak = replyTo({ type: MessageType.REQUEST, requestedIp: '192.168.1.5' });
    expect(nak.answer.messageType).toBe('nak');
    expect(Buffer.from(getOption(nak.dhcp, Opt.MESSAGE) ?? []).toString()).toMatch(/192\.168\.1\.5/);
  });

  it('RENEWING/REBINDING: ACKs to ciaddr (echoed), NAKs another ciaddr', () => {
    const ack = replyTo({ type: MessageType.REQUEST, ciaddr: '10.0.0.5' });
    expect(ack.answer.messageType).toBe('ack');
    expect(ack.dhcp.ciaddr).toBe(ip('10.0.0.5'));
    expect(ack.dhcp.yiaddr).toBe(ip('10.0.0.5'));
    expect(formatIpv4(ack.ip.dst)).toBe('10.0.0.5');
    expect(formatMac(ack.eth.dst)).toBe(CLIENT_MAC);
    // Even with the broadcast flag, a client that has ciaddr is answered at ciaddr (§4.1).
    const bc = replyTo({ type: MessageType.REQUEST, ciaddr: '10.0.0.5', flags: FLAG_BROADCAST });
    expect(formatIpv4(bc.ip.dst)).toBe('10.0.0.5');
    expect(formatMac(bc.eth.dst)).toBe('ff:ff:ff:ff:ff:ff');
    const nak = replyTo({ type: MessageType.REQUEST, ciaddr: '10.0.0.77' });
    expect(nak.answer.messageType).toBe('nak');
    expect(formatIpv4(nak.ip.dst)).toBe('255.255.255.255');
    expect(nak.dhcp.ciaddr).toBe(0);
  });

  it('ignores a REQUEST that names no state', () => {
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.REQUEST }), LEASE))).toMatch(/neither server identifier/);
  });
});

describe('answerDhcp: other messages', () => {
  it('INFORM: ACK without yiaddr or lease times, sent to ciaddr', () => {
    const r = replyTo({ type: MessageType.INFORM, ciaddr: '10.0.0.5' });
    expect(r.answer.messageType).toBe('ack');
    expect(r.dhcp.yiaddr).toBe(0);
    expect(r.dhcp.ciaddr).toBe(ip('10.0.0.5'));
    for (const c of LEASE_TIMES) expect(r.codes).not.toContain(c);
    expect(r.codes).toContain(Opt.SUBNET_MASK);
    expect(formatIpv4(r.ip.dst)).toBe('10.0.0.5');
    // An INFORM without ciaddr (a broken client) still gets an answer it can receive.
    expect(formatIpv4(replyTo({ type: MessageType.INFORM }).ip.dst)).toBe('255.255.255.255');
  });

  it('ignores RELEASE, DECLINE, server messages and unknown or missing types', () => {
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.RELEASE, ciaddr: '10.0.0.5' }), LEASE))).toMatch(/DHCPRELEASE/);
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.DECLINE, requestedIp: '10.0.0.5' }), LEASE))).toMatch(/DHCPDECLINE/);
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.OFFER }), LEASE))).toMatch(/DHCPOFFER is not a client request/);
    expect(reasonFor(answerDhcp(clientFrame({ type: 42 }), LEASE))).toMatch(/type 42/);
    expect(reasonFor(answerDhcp(clientFrame({ type: 1 }, (m) => (m.options = [])), LEASE))).toMatch(/no DHCP message type/);
    expect(reasonFor(answerDhcp(clientFrame({ type: 1 }, (m) => (m.op = 2)), LEASE))).toMatch(/op 2 is not a request/);
    expect(reasonFor(answerDhcp(clientFrame({ type: 1 }, (m) => (m.hlen = 8)), LEASE))).toMatch(/not Ethernet/);
  });

  it('answers only the port own MAC (anti-spoofing)', () => {
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.DISCOVER, srcMac: 'fa:16:3e:00:00:99' }), LEASE))).toMatch(
      /Ethernet source fa:16:3e:00:00:99 is not the port's MAC fa:16:3e:12:34:56/,
    );
    expect(reasonFor(answerDhcp(clientFrame({ type: MessageType.DISCOVER, chaddr: 'fa:16:3e:00:00:99' }), LEASE))).toMatch(/chaddr fa:16:3e:00:00:99/);
  });

  it('ignores when there is no lease or the lease is unusable', () => {
    const frame = clientFrame({ type: MessageType.DISCOVER });
    expect(reasonFor(answerDhcp(frame, undefined))).toMatch(/no DHCP lease/);
    expect(reasonFor(answerDhcp(frame, { ...LEASE, prefixLen: 33 }))).toMatch(/invalid lease: prefixLen 33/);
    expect(reasonFor(answerDhcp(frame, { ...LEASE, serverIp: 'nope' }))).toMatch(/invalid IP address/);
    expect(reasonFor(answerDhcp(frame, { ...LEASE, hostRoutes: [{ destination: '10.0.0.0', nexthop: '10.0.0.1' }] }))).toMatch(/not an IPv4 CIDR/);
  });

  it('ignores frames that are not DHCP to the server, with the parse error as the reason', () => {
    const frame = clientFrame({ type: MessageType.DISCOVER });
    expect(reasonFor(answerDhcp(frame.subarray(0, 20), LEASE))).toMatch(/truncated IPv4 header/);
    const badIp = Buffer.from(frame);
    badIp[14 + 10] ^= 0xff;
    expect(reasonFor(answerDhcp(badIp, LEASE))).toMatch(/bad IPv4 header checksum/);
    const toClient = Buffer.from(frame);
    toClient.writeUInt16BE(68, 14 + 20 + 2);
    expect(reasonFor(answerDhcp(toClient, LEASE))).toMatch(/UDP 68 -> 68 is not DHCP client -> server/);
    const bootp = Buffer.from(frame);
    bootp.writeUInt32BE(0, 14 + 28 + 236);
    expect(reasonFor(answerDhcp(bootp, LEASE))).toMatch(/plain BOOTP/);
    expect(reasonFor(answerDhcp(new Uint8Array(0), LEASE))).toMatch(/truncated Ethernet header/);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeMessageToBuffer, formatMessage, type OfMessage } from '../../src/openflow/messages/index.js';
import { fieldByName, ipv4, ipv6, mac, type Match } from '../../src/openflow/oxm/index.js';
import { packetSummary } from '../../src/openflow/text/packet-summary.js';
import { extractFlow } from '../../src/packets/flow-extract.js';
import { ofpPrint } from './messages-ovs.js';
import { arp, BCAST, eth, GW_IP, GW_IP6, GW_MAC, icmp, ip4, ip6, nd, tcp, udp4, VM_IP, VM_IP6, VM_MAC, withChecksum6, withL4Checksum4 } from './packet-frames.js';

/**
 * The line ovs-ofctl ofp-print prints under PACKET_IN, NXT_PACKET_IN2 and PACKET_OUT for the frame they carry:
 * each frame goes out in all three messages and our whole text must equal `ovs-ofctl ofp-print` of the bytes.
 */

const IN_PORT: Match = [{ field: fieldByName('in_port')!, value: 3 }];
const OUTPUT = { type: 'output' as const, port: 1, maxLen: 0 };

function messages(data: Uint8Array): OfMessage[] {
  return [
    { type: 'packet_in', version: 4, xid: 1, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId: 2, cookie: 0x1234n, match: IN_PORT, data },
    { type: 'nx_packet_in2', version: 4, xid: 2, packet: data, fullLen: data.length, tableId: 0, cookie: 0n, reason: 0, metadata: IN_PORT, userdata: Uint8Array.of(7), rawProperties: [] },
    { type: 'packet_out', version: 4, xid: 3, bufferId: 0xffffffff, inPort: 0xfffffffd, actions: [OUTPUT], data },
  ];
}

function expectLikeOvs(data: Uint8Array): void {
  // OVS itself refuses an NXT_PACKET_IN2 whose packet property is empty (OFPBRC_BAD_LEN), so that one is not compared.
  for (const m of messages(data).filter((x) => data.length > 0 || x.type !== 'nx_packet_in2')) {
    expect(formatMessage(m), `${m.type} ${Buffer.from(data).toString('hex')}`).toBe(ofpPrint(encodeMessageToBuffer(m)));
  }
}

const pad = (frame: Buffer, len = 60) => Buffer.concat([frame, Buffer.alloc(Math.max(0, len - frame.length))]);
const bytes = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));
const cut = (b: Buffer, n: number) => b.subarray(0, n);

/** An IPv4 packet whose header carries 4 bytes of options (router alert). */
function ipv4WithOptions(protocol: number, payload: Buffer): Buffer {
  const plain = ip4(protocol, payload);
  const head = Buffer.concat([plain.subarray(0, 20), Buffer.from([0x94, 4, 0, 0])]);
  head[0] = 0x46;
  head.writeUInt16BE(plain.length + 4, 2);
  return Buffer.concat([head, payload]);
}

const DHCP_DISCOVER = eth(BCAST, VM_MAC, 0x0800, ip4(17, udp4(68, 67, bytes(240)), { src: 0, dst: 0xffffffff }));
const ICMP_ECHO = eth(GW_MAC, VM_MAC, 0x0800, ip4(1, icmp(8, 0, bytes(20)), { tos: 0xb9, ttl: 63 }));
const TCP_SYN = eth(GW_MAC, VM_MAC, 0x0800, ip4(6, withL4Checksum4(tcp(43210, 22, 0x002), 6)));
const NS = nd(135, GW_IP6, [[1, VM_MAC]]);
const NS_FRAME = eth(mac('33:33:ff:aa:bb:cc'), VM_MAC, 0x86dd, withChecksum6(ip6(58, NS, { dst: ipv6('ff02::1:ffaa:bbcc') })));

const CASES: Record<string, Buffer> = {
  'ARP request': eth(BCAST, VM_MAC, 0x0806, arp(1, VM_MAC, VM_IP, 0, GW_IP)),
  'ARP reply padded to 60 bytes': pad(eth(VM_MAC, GW_MAC, 0x0806, arp(2, GW_MAC, GW_IP, VM_MAC, VM_IP))),
  'ARP request in VLAN 100 pcp 5': eth(BCAST, VM_MAC, 0x0806, arp(1, VM_MAC, VM_IP, 0, GW_IP), [(5 << 13) | 100]),
  'ARP reply in VLAN 4095 with DEI': eth(VM_MAC, GW_MAC, 0x0806, arp(2, GW_MAC, GW_IP, VM_MAC, VM_IP), [0x1fff]),
  'ARP with a 16-bit opcode': eth(BCAST, VM_MAC, 0x0806, arp(0x0301, VM_MAC, VM_IP, 0, GW_IP)),
  'ARP for another hardware type': eth(BCAST, VM_MAC, 0x0806, Buffer.from(arp(1, VM_MAC, VM_IP, 0, GW_IP)).fill(6, 1, 2)),
  'RARP request': eth(BCAST, VM_MAC, 0x8035, arp(3, VM_MAC, 0, VM_MAC, 0)),
  'DHCP discover (UDP)': DHCP_DISCOVER,
  'UDP in VLAN 10': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, udp4(5353, 53, bytes(30))), [10]),
  'UDP without checksum': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, Buffer.from(udp4(1, 2, bytes(3))).fill(0, 6, 8))),
  'TCP SYN': TCP_SYN,
  'TCP SYN+ACK in VLAN 7': eth(VM_MAC, GW_MAC, 0x0800, ip4(6, withL4Checksum4(tcp(22, 43210, 0x012), 6), { src: GW_IP, dst: VM_IP }), [7]),
  'TCP with every flag': eth(GW_MAC, VM_MAC, 0x0800, ip4(6, tcp(1, 2, 0xfff, bytes(10)))),
  'TCP PSH+ACK+FIN with data': eth(GW_MAC, VM_MAC, 0x0800, ip4(6, withL4Checksum4(tcp(80, 51000, 0x019, bytes(100)), 6))),
  'ICMP echo request, DSCP and ECN set': ICMP_ECHO,
  'ICMP destination unreachable': eth(VM_MAC, GW_MAC, 0x0800, ip4(1, icmp(3, 3, bytes(28)), { src: GW_IP, dst: VM_IP })),
  'IGMP membership report': eth(mac('01:00:5e:00:00:16'), VM_MAC, 0x0800, ip4(2, Buffer.from([0x22, 0, 0xfa, 0x04, 0, 0, 0, 0]), { dst: ipv4('224.0.0.22'), ttl: 1 })),
  'GRE (another IP protocol)': eth(GW_MAC, VM_MAC, 0x0800, ip4(47, bytes(24))),
  'SCTP': eth(GW_MAC, VM_MAC, 0x0800, ip4(132, bytes(16))),
  'IPv4 first fragment (UDP)': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, cut(udp4(4000, 4001, bytes(100)), 64), { flags: 1 })),
  'IPv4 later fragment': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, bytes(36), { fragmentOffset: 8 })),
  'IPv4 middle fragment (ICMP)': eth(GW_MAC, VM_MAC, 0x0800, ip4(1, bytes(48), { flags: 1, fragmentOffset: 185 })),
  'IPv4 with options, TCP with options': eth(GW_MAC, VM_MAC, 0x0800, ipv4WithOptions(6, Buffer.concat([Buffer.from(tcp(5, 6, 0x010)).fill(0x60, 12, 13), Buffer.from([2, 4, 5, 0xb4])]))),
  'IPv4 with DF set': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, udp4(1, 2, bytes(3)), { flags: 2 })),
  'IPv6 ICMPv6 echo request': eth(GW_MAC, VM_MAC, 0x86dd, withChecksum6(ip6(58, icmp(128, 0, bytes(12)), { trafficClass: 0x2e, flowLabel: 0xabcde, hopLimit: 64 }))),
  'IPv6 neighbour solicitation with source link-layer address': NS_FRAME,
  'IPv6 neighbour solicitation for DAD (no option)': eth(mac('33:33:ff:11:22:33'), VM_MAC, 0x86dd, withChecksum6(ip6(58, nd(135, VM_IP6, []), { src: 0n }))),
  'IPv6 neighbour advertisement with target link-layer address': eth(VM_MAC, GW_MAC, 0x86dd, withChecksum6(ip6(58, nd(136, GW_IP6, [[2, GW_MAC]]), { src: GW_IP6, dst: VM_IP6 }))),
  'IPv6 neighbour advertisement with both options': eth(VM_MAC, GW_MAC, 0x86dd, withChecksum6(ip6(58, nd(136, GW_IP6, [[1, VM_MAC], [2, GW_MAC]])))),
  'IPv6 neighbour solicitation repeating its option': eth(GW_MAC, VM_MAC, 0x86dd, withChecksum6(ip6(58, nd(135, GW_IP6, [[1, VM_MAC], [1, GW_MAC]])))),
  'IPv6 ND with a non-zero code': eth(GW_MAC, VM_MAC, 0x86dd, withChecksum6(ip6(58, Buffer.from(nd(135, GW_IP6, [[1, VM_MAC]])).fill(1, 1, 2)))),
  'IPv6 router solicitation': eth(mac('33:33:00:00:00:02'), VM_MAC, 0x86dd, withChecksum6(ip6(58, icmp(133, 0, Buffer.from([0, 0, 0, 0, 1, 1, 0xfa, 0x16, 0x3e, 0x11, 0x22, 0x33])), { dst: ipv6('ff02::2') }))),
  'IPv6 UDP (DHCPv6 solicit) in VLAN 20': eth(mac('33:33:00:01:00:02'), VM_MAC, 0x86dd, withChecksum6(ip6(17, udp4(546, 547, bytes(40)), { dst: ipv6('ff02::1:2') })), [20]),
  'IPv6 TCP': eth(GW_MAC, VM_MAC, 0x86dd, withChecksum6(ip6(6, tcp(40000, 443, 0x018, bytes(8))))),
  'IPv6 hop-by-hop options then ICMPv6 (MLD report)': eth(mac('33:33:00:00:00:16'), VM_MAC, 0x86dd, ip6(0, Buffer.concat([Buffer.from([58, 0, 5, 2, 0, 0, 1, 0]), icmp(143, 0, bytes(24))]), { hopLimit: 1 })),
  'IPv6 first fragment (UDP)': eth(GW_MAC, VM_MAC, 0x86dd, ip6(44, Buffer.concat([Buffer.from([17, 0, 0, 1, 0, 0, 0, 9]), udp4(1, 2, bytes(30))]))),
  'IPv6 later fragment': eth(GW_MAC, VM_MAC, 0x86dd, ip6(44, Buffer.concat([Buffer.from([17, 0, 0x05, 0x38, 0, 0, 0, 9]), bytes(30)]))),
  'IPv6 with an unknown next header': eth(GW_MAC, VM_MAC, 0x86dd, ip6(253, bytes(10))),
  'LLDP (unknown EtherType)': eth(mac('01:80:c2:00:00:0e'), VM_MAC, 0x88cc, bytes(46)),
  'unknown EtherType in VLAN 5': eth(GW_MAC, VM_MAC, 0x1234, bytes(10), [5]),
  'two VLAN tags (QinQ)': eth(GW_MAC, VM_MAC, 0x0800, ip4(17, udp4(1, 2, bytes(4))), [(3 << 13) | 100, 200]),
  'three VLAN tags': eth(GW_MAC, VM_MAC, 0x0806, arp(1, VM_MAC, VM_IP, 0, GW_IP), [100, 200, 300]),
  '802.1ad outer tag (0x88a8) over an 802.1Q tag': Buffer.from(eth(BCAST, VM_MAC, 0x0806, arp(1, VM_MAC, VM_IP, 0, GW_IP), [10, 20])).fill(0x88, 12, 13).fill(0xa8, 13, 14),
  'NSH, MD type 1': eth(GW_MAC, VM_MAC, 0x894f, Buffer.from('0186010300002a05000000010000000200000003fffffffe', 'hex')),
  'NSH, MD type 2': eth(GW_MAC, VM_MAC, 0x894f, Buffer.from('00830203000007ff00000000', 'hex')),
  'NSH, MD type 1 with the wrong length': eth(GW_MAC, VM_MAC, 0x894f, Buffer.from('0002010300002a05', 'hex')),
  '802.3 frame with LLC (STP BPDU)': eth(mac('01:80:c2:00:00:00'), VM_MAC, 39, Buffer.concat([Buffer.from([0x42, 0x42, 0x03]), bytes(36)])),
  '802.3 frame with SNAP carrying ARP': eth(BCAST, VM_MAC, 36, Buffer.concat([Buffer.from([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x06]), arp(1, VM_MAC, VM_IP, 0, GW_IP)])),
  'MPLS unicast, one label': eth(GW_MAC, VM_MAC, 0x8847, Buffer.concat([Buffer.from([0x00, 0x06, 0x41, 0x40]), ip4(17, udp4(1, 2, bytes(4)))])),
  'MPLS multicast, two labels without bottom of stack': eth(GW_MAC, VM_MAC, 0x8848, Buffer.from([0x00, 0x06, 0x40, 0x40, 0x00, 0x07, 0x20, 0x3f])),
  // Truncated: shorter than the headers say, down to nothing.
  'empty data': Buffer.alloc(0),
  'shorter than an Ethernet header': cut(DHCP_DISCOVER, 13),
  'Ethernet header only (IPv4 type)': cut(DHCP_DISCOVER, 14),
  'VLAN tag without its EtherType': cut(eth(GW_MAC, VM_MAC, 0x0800, Buffer.alloc(0), [10]), 16),
  'IPv4 header cut short': cut(DHCP_DISCOVER, 30),
  'IPv4 total length beyond the data': cut(DHCP_DISCOVER, 100),
  'IPv4 with more than 255 bytes of padding': pad(TCP_SYN, TCP_SYN.length + 256),
  'IPv4 header length below 20': Buffer.from(TCP_SYN).fill(0x44, 14, 15),
  'IPv6 with more than 255 bytes of padding': pad(NS_FRAME, NS_FRAME.length + 300),
  'TCP data offset below 20 bytes': Buffer.from(TCP_SYN).fill(0x40, 46, 47),
  'TCP data offset beyond the segment': Buffer.from(TCP_SYN).fill(0xf0, 46, 47),
  'TCP header cut short': Buffer.concat([cut(TCP_SYN, 14), ip4(6, cut(tcp(1, 2, 0x002), 12))]),
  'UDP header cut short': Buffer.concat([cut(TCP_SYN, 14), ip4(17, bytes(6))]),
  'ICMP header cut short': Buffer.concat([cut(ICMP_ECHO, 14), ip4(1, bytes(4))]),
  'ARP cut short': cut(eth(BCAST, VM_MAC, 0x0806, arp(1, VM_MAC, VM_IP, 0, GW_IP)), 40),
  'IPv6 header cut short': cut(NS_FRAME, 50),
  'IPv6 payload length beyond the data': cut(NS_FRAME, NS_FRAME.length - 4),
  'ND target cut short': eth(GW_MAC, VM_MAC, 0x86dd, ip6(58, cut(NS, 20))),
  'ICMPv6 header cut short (6 bytes)': eth(GW_MAC, VM_MAC, 0x86dd, ip6(58, cut(NS, 6))),
  'ICMPv6 header cut short (2 bytes)': eth(GW_MAC, VM_MAC, 0x86dd, ip6(58, cut(NS, 2))),
  'IPv6 extension header cut short': eth(GW_MAC, VM_MAC, 0x86dd, ip6(60, Buffer.from([17, 4, 0, 0, 0, 0, 0, 0]))),
  'MPLS label cut short': eth(GW_MAC, VM_MAC, 0x8847, Buffer.from([0, 6, 0x41])),
};

describe('the packet line under PACKET_IN, NXT_PACKET_IN2 and PACKET_OUT', () => {
  for (const [name, frame] of Object.entries(CASES)) {
    it(`prints ${name} exactly as ovs-ofctl ofp-print does`, () => expectLikeOvs(frame));
  }

  it('omits the line for an empty or buffered PACKET_OUT, as OVS does', () => {
    const base = messages(CASES['ARP request'])[2];
    for (const m of [{ ...base, data: new Uint8Array(0) }, { ...base, bufferId: 7 }]) {
      const text = formatMessage(m);
      expect(text).not.toContain('\n');
      expect(text).toBe(ofpPrint(encodeMessageToBuffer(m)));
    }
  });

  it('flags a total_len that disagrees with the data, and omits an all-ones cookie, like OVS', () => {
    const [pin] = messages(CASES['DHCP discover (UDP)']);
    if (pin.type !== 'packet_in') throw new Error('not a packet_in');
    for (const m of [{ ...pin, totalLen: 1500 }, { ...pin, bufferId: 9, totalLen: 100 }, { ...pin, bufferId: 9, totalLen: 1500 }, { ...pin, cookie: 0xffffffffffffffffn }]) {
      expect(formatMessage(m)).toBe(ofpPrint(encodeMessageToBuffer(m)));
    }
    // An NXT_PACKET_IN2 may leave out the cookie, table and full length: OVS then prints no cookie.
    const bare: OfMessage = { type: 'nx_packet_in2', version: 4, xid: 4, packet: pin.data, metadata: IN_PORT, rawProperties: [] };
    expect(formatMessage(bare)).toBe(ofpPrint(encodeMessageToBuffer(bare)));
    expect(formatMessage(bare)).not.toContain('cookie');
  });
});

describe('packetSummary on arbitrary bytes', () => {
  it('never throws, on thousands of mutated and truncated frames', () => {
    const seeds = Object.values(CASES).filter((b) => b.length > 0);
    let state = 0x2545f491;
    const rand = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const lines = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      let frame = Buffer.from(seeds[rand(seeds.length)]);
      for (let k = rand(6); k >= 0; k--) frame[rand(frame.length)] = rand(256);
      if (rand(8) === 0) {
        // Random bytes behind a random one of the EtherTypes we decode, sometimes tagged.
        frame = Buffer.from(Array.from({ length: rand(120) + 18 }, () => rand(256)));
        const type = [0x0800, 0x86dd, 0x0806, 0x8035, 0x8847, 0x8848, 0x894f, 0x8100, 0x88a8, 0x0030][rand(10)];
        frame.writeUInt16BE(type, rand(2) ? 12 : 16);
      }
      const data = rand(4) === 0 ? frame.subarray(0, rand(frame.length + 1)) : frame;
      const line = packetSummary(data);
      expect(line).not.toContain('\n');
      expect(line.length).toBeGreaterThan(0);
      lines.add(line.split(',')[0]);
    }
    // The mutations reach many kinds of frame, not just the error path.
    expect(lines.size).toBeGreaterThan(10);
  });

  it('checks a sample of the mutated frames against OVS too', () => {
    const seeds = [CASES['DHCP discover (UDP)'], CASES['IPv6 neighbour solicitation with source link-layer address'], CASES['TCP SYN'], CASES['ARP request'], CASES['IPv6 first fragment (UDP)']];
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    for (let i = 0; i < 60; i++) {
      const frame = Buffer.from(seeds[i % seeds.length]);
      // Mutate the headers (the first 80 bytes), where the parse decisions are.
      for (let k = rand(3); k >= 0; k--) frame[rand(Math.min(80, frame.length))] = rand(256);
      const m = messages(frame)[2];
      expect(formatMessage(m), frame.toString('hex')).toBe(ofpPrint(encodeMessageToBuffer(m)));
    }
  });

  it('extracts the fields of a neighbour solicitation', () => {
    const f = extractFlow(NS_FRAME);
    expect([f.dlType, f.nwProto, f.tpSrc, f.ndTarget, f.arpSha]).toEqual([0x86dd, 58, 135, GW_IP6, VM_MAC]);
  });
});

/**
 * Golden tests against Open vSwitch itself: every expectation below is produced at test time by
 * `ovs-ofctl` (3.1), never written by hand.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/openflow/bytes.js';
import { EncodeError, ParseError } from '../../src/openflow/errors.js';
import {
  checkPrerequisites,
  decodeFieldHeader,
  decodeMatch,
  decodeOxmEntry,
  encodeFieldHeader,
  encodeMatch,
  encodeOxmEntry,
  fieldByName,
  formatMatch,
  formatSubfield,
  formatValue,
  MatchBuilder,
  parseSubfield,
  parseValue,
  type Match,
  type MatchEntry,
} from '../../src/openflow/oxm/index.js';

interface Parsed {
  /** The flow line after "ADD " (match, then " actions=..."). */
  line: string;
  bytes: Uint8Array;
}

/** Runs ovs-ofctl parse-flow; fails the test with OVS's own message when OVS rejects the flow. */
function ovsParse(flow: string, proto: 'OpenFlow13' | 'OpenFlow10', verbose = true): Parsed {
  const args = ['-O', proto, ...(proto === 'OpenFlow10' ? ['-F', 'nxm'] : []), ...(verbose ? ['-mmmmm'] : []), 'parse-flow', flow];
  const r = spawnSync('ovs-ofctl', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ovs-ofctl (is Open vSwitch installed?): ${r.error.message}`);
  const out = r.stdout;
  const line = out.split('\n').find((l) => /^(OFPT|NXT)_FLOW_MOD/.test(l));
  if (r.status !== 0 || !line || line.includes('***')) throw new Error(`ovs-ofctl rejected "${flow}": ${r.stderr}${line ?? ''}`);
  const bytes: number[] = [];
  for (const l of out.split('\n')) {
    const m = /^[0-9a-f]{8} {2}(.*?) \|/.exec(l);
    if (m) for (const b of m[1].replace('-', ' ').trim().split(/\s+/)) bytes.push(parseInt(b, 16));
  }
  return { line: line.slice(line.indexOf(': ADD ') + 6), bytes: Uint8Array.from(bytes) };
}

/** The ofp_match of an OF1.3 FLOW_MOD: it starts at byte 48; its length field gives its padded size. */
function matchBytes(p: Parsed): Uint8Array {
  const len = (p.bytes[50] << 8) | p.bytes[51];
  return p.bytes.slice(48, 48 + ((len + 7) & ~7));
}

function matchText(p: Parsed): string {
  return p.line.slice(0, p.line.indexOf('actions=')).trim();
}

/** Splits ovs-ofctl match text on commas outside parentheses (packet_type=(1,0x800)). */
function splitKeys(text: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' || i === text.length) && depth === 0) {
      const kv = text.slice(start, i);
      const eq = kv.indexOf('=');
      if (kv) out.push(eq < 0 ? [kv, undefined] : [kv.slice(0, eq), kv.slice(eq + 1)]);
      start = i + 1;
    }
  }
  return out;
}

function build(text: string): Match {
  const b = new MatchBuilder();
  for (const [k, v] of splitKeys(text)) expect(b.add(k, v), `${k} is a match key`).toBe(true);
  return b.build();
}

function encode(m: Match): string {
  const w = new Writer(64);
  encodeMatch(w, m);
  return hex(w.copyFrom());
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

beforeAll(() => {
  const r = spawnSync('ovs-ofctl', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error('ovs-ofctl (Open vSwitch 3.1) is required for these tests and was not found on PATH');
});

/** Match-only flows, written the way users write them; OVS decides bytes and canonical text. */
const MATCHES = [
  '',
  'in_port=1',
  'in_port=LOCAL',
  'in_port=CONTROLLER',
  'in_port=65279',
  'dl_dst=fa:16:3e:00:00:01',
  'dl_src=fa:16:3e:00:00:01/ff:ff:ff:00:00:00',
  'eth_dst=01:00:00:00:00:00/01:00:00:00:00:00',
  'dl_type=0x88cc',
  'dl_type=0x0800',
  'ip',
  'ipv6',
  'arp',
  'rarp',
  'mpls',
  'mplsm',
  'icmp',
  'icmp6',
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'sctp',
  'sctp6',
  'ip,nw_proto=47',
  'ipv6,nw_proto=47',
  'dl_vlan=5',
  'dl_vlan=0xffff',
  'dl_vlan_pcp=3',
  'dl_vlan=10,dl_vlan_pcp=3',
  'vlan_tci=0x1005',
  'vlan_tci=0x1000/0x1000',
  'vlan_tci=0/0x1000',
  'vlan_tci=0',
  'vlan_tci=0x0005/0x0fff',
  'vlan_vid=5',
  'vlan_vid=0x1005',
  'vlan_vid=0x1000/0x1000',
  'vlan_vid=0x1005,vlan_pcp=2',
  'tcp,nw_src=10.0.0.0/8,tp_dst=80',
  'ct_state=+new+trk,tcp,in_port=1,nw_src=10.0.0.0/8,tp_dst=80',
  'ip,nw_src=10.0.0.1,nw_dst=10.0.0.0/255.0.255.0',
  'ip,nw_dst=192.168.0.0/16',
  'ip,nw_src=0.0.0.0/0.0.0.1',
  'ip,nw_tos=16',
  'ip,ip_dscp=4',
  'ip,nw_ecn=2',
  'ip,ip_ecn=1,nw_tos=8',
  'ip,nw_ttl=64',
  'ip,ip_frag=no',
  'ip,ip_frag=yes',
  'ip,ip_frag=first',
  'ip,ip_frag=later',
  'ip,ip_frag=not_later',
  'ipv6,nw_frag=later',
  'tcp,tp_src=1024/0xfc00',
  'udp,tp_src=68,tp_dst=67',
  'udp,udp_dst=4789',
  'sctp,sctp_src=5,sctp_dst=6',
  'tcp,tcp_src=22,tcp_dst=0x50/0xfff0',
  'tcp,tcp_flags=+syn-ack',
  'tcp,tcp_flags=syn',
  'tcp,tcp_flags=0x012/0x0ff',
  'tcp6,tcp_flags=+fin',
  'icmp,icmp_type=8,icmp_code=0',
  'icmp,icmp_type=3',
  'icmp6,icmp_type=128',
  'icmp6,icmpv6_type=135,nd_target=fe80::1',
  'icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=fa:16:3e:00:00:01',
  'icmp6,icmp_type=136,nd_target=2001:db8::/64,nd_tll=fa:16:3e:00:00:02',
  'icmp6,icmp_type=136,icmp_code=0,nd_tll=fa:16:3e:00:00:02/ff:ff:ff:00:00:00',
  'arp,arp_op=1',
  'arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24',
  'arp,arp_sha=fa:16:3e:00:00:01,arp_tha=00:00:00:00:00:00',
  'rarp,arp_op=3',
  'arp,nw_src=10.0.0.1',
  'ipv6,ipv6_src=2001:db8::1',
  'ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::/10',
  'ipv6,ipv6_dst=::1',
  'ipv6,ipv6_dst=::ffff:1.2.3.4',
  'ipv6,ipv6_dst=::1.2.3.4',
  'ipv6,ipv6_dst=2001:db8:0:0:1:0:0:1',
  'ipv6,ipv6_dst=1:0:0:2:0:0:0:3',
  'ipv6,ipv6_src=2001:db8::1/ffff:ffff::ffff',
  'ipv6,ipv6_label=0x12345',
  'ipv6,ipv6_label=0x10/0xf0',
  'mpls,mpls_label=5',
  'mpls,mpls_label=5,mpls_tc=3,mpls_bos=1',
  'mpls,mpls_ttl=64',
  'mplsm,mpls_bos=0',
  'metadata=0x1',
  'metadata=0x100/0xff00',
  'tun_id=0x5',
  'tun_id=0x5/0xff',
  'tunnel_id=100',
  'tun_src=1.1.1.1',
  'tun_dst=2.2.2.0/24',
  'tun_ipv6_src=2001:db8::1',
  'tun_ipv6_dst=2001:db8::/64',
  'tun_flags=+oam',
  'tun_flags=-oam',
  'tun_flags=oam',
  'tun_gbp_id=5',
  'tun_gbp_flags=1',
  'tun_metadata0=0x12',
  'tun_metadata3=0x1234/0xff00',
  'tun_metadata63=0x1',
  'reg0=5',
  'reg0=0x5/0xff',
  'reg15=0xffffffff',
  'reg3=0',
  'xreg0=0x100000002',
  'xreg7=1/1',
  'xxreg0=1',
  'xxreg3=0x10000000000000000/0x10000000000000000',
  'pkt_mark=0x10',
  'pkt_mark=0x10/0xf0',
  'ct_state=+trk',
  'ct_state=-trk',
  'ct_state=+trk+est-rel-inv',
  'ct_state=+trk+new-est-rel-inv-rpl+snat+dnat',
  'ct_state=new|trk',
  'ct_state=0x21/0x21',
  'ct_state=0',
  'ct_zone=5',
  'ct_mark=1',
  'ct_mark=0x10/0xf0',
  'ct_label=1',
  'ct_label=0x1/0xff',
  'ct_state=+trk-inv,ct_nw_proto=6',
  'ip,ct_state=+trk-inv,ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.0/8',
  'ipv6,ct_state=+trk-inv,ct_ipv6_src=::1,ct_ipv6_dst=fe80::/10',
  'ct_state=+trk-inv,ct_nw_proto=17,ct_tp_dst=53',
  'ip,ct_state=+trk-inv,ct_nw_proto=6,ct_tp_src=80,ct_tp_dst=0x100/0xff00',
  'conj_id=7',
  'dp_hash=0x5/0xf',
  'recirc_id=5',
  'actset_output=1',
  'actset_output=LOCAL',
  'packet_type=(1,0x800)',
  'in_port=1,dl_vlan=5,dl_src=fa:16:3e:00:00:01,dl_dst=fa:16:3e:00:00:02,tcp,nw_src=1.2.3.4,nw_dst=5.6.7.8,tp_src=1,tp_dst=2,reg0=1,metadata=2,tun_id=3,ct_state=+trk,pkt_mark=4,ct_mark=5,ct_zone=6',
  'udp,in_port=5,tun_id=0x10,dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00,nw_tos=8,nw_ttl=2,ip_ecn=3,reg5=0x5/0xff,tp_src=53',
  // Edge values and alternative spellings.
  'in_port=NONE',
  'in_port=ANY',
  'in_port=IN_PORT',
  'in_port=NORMAL',
  'dl_type=0x8100',
  'dl_type=0x0806,arp_op=2',
  'dl_type=0x86dd,nw_proto=58,icmp_type=1',
  'dl_type=0x0800,nw_proto=2',
  'ip,nw_proto=1,icmp_type=0x03',
  'ip,nw_src=1.2.3.4/32',
  'ip,nw_src=1.2.3.4/0',
  'ip,nw_src=1.2.3.4/255.255.255.255',
  'ipv6,ipv6_src=::/0',
  'ipv6,ipv6_src=::',
  'ipv6,ipv6_src=fe80::1/128',
  'ipv6,ipv6_src=1::/ffff::',
  'ipv6,ipv6_dst=::ffff:0:1',
  'ipv6,ipv6_dst=::1:0:0:0',
  'ipv6,ipv6_dst=1::',
  'ipv6,ipv6_dst=0:0:1::',
  'ipv6,ipv6_dst=1:0:1:0:1:0:1:0',
  'ipv6,ipv6_dst=::0.0.1.2',
  'ipv6,ipv6_dst=::ffff:0.0.0.0',
  'dl_dst=ff:ff:ff:ff:ff:ff',
  'dl_dst=00:00:00:00:00:00/00:00:00:00:00:01',
  'dl_src=aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:ff',
  'vlan_tci=0x1000/0x1fff',
  'vlan_tci=0xf005',
  'vlan_tci=0x0fff/0x0fff',
  'dl_vlan_pcp=0',
  'dl_vlan=0',
  'dl_vlan=4095',
  'vlan_vid=0x1000/0x1fff',
  'vlan_vid=0/0x1000',
  'tcp,tp_src=0',
  'tcp,tp_src=65535',
  'tcp,tp_dst=0x1000/0xf000',
  'tcp,tcp_flags=0/0',
  'tcp,tcp_flags=0',
  'tcp,tcp_flags=+ns-cwr+ece',
  'tcp,tcp_flags=0xfff',
  'tcp,tcp_flags=0x800/0x800',
  'tcp,tcp_flags=ack|syn|fin',
  'udp,tp_dst=0/0',
  'icmp,icmp_code=0',
  'icmp6,icmp_type=136,icmp_code=1',
  'icmp6,icmp_type=135,nd_target=fe80::1/64',
  'icmp6,icmp_type=135,nd_sll=00:00:00:00:00:00/ff:00:00:00:00:00',
  'arp,arp_sha=01:00:00:00:00:00/01:00:00:00:00:00',
  'arp,arp_op=0x102',
  'arp,arp_tpa=1.2.3.4/0.0.0.255',
  'ip,ip_dscp=63',
  'ip,nw_tos=255',
  'ip,nw_tos=3',
  'ip,nw_ecn=3,ip_dscp=1',
  'ipv6,nw_ttl=0',
  'ipv6,ipv6_label=0xfffff',
  'ipv6,ipv6_label=1/0',
  'mpls,mpls_label=1048575',
  'mpls,mpls_tc=7,mpls_bos=0,mpls_ttl=0',
  'metadata=0/0',
  'metadata=0',
  'metadata=0xffffffffffffffff',
  'metadata=0x8000000000000000/0x8000000000000000',
  'tun_id=0',
  'tun_id=0/0xffffffff00000000',
  'tun_src=0.0.0.0',
  'tun_src=1.2.3.4/255.0.0.255',
  'tun_flags=1/1',
  'tun_flags=0/1',
  'tun_gbp_id=0x10/0xff',
  'tun_gbp_flags=0x80/0xf0',
  'tun_metadata0=0',
  'tun_metadata0=0x0000',
  'tun_metadata1=0x1234567890abcdef1234567890abcdef',
  'tun_metadata2=0x1/0x1',
  'reg0=0/0',
  'reg1=0xffffffff/0xffffffff',
  'reg2=0x80000000/0x80000000',
  'xreg0=0',
  'xreg1=0xffffffffffffffff',
  'xxreg2=0x1/0xff',
  'xxreg1=0xffffffffffffffffffffffffffffffff',
  'pkt_mark=0',
  'ct_state=0x10',
  'ct_state=0xff',
  'ct_state=0x1/0xff',
  'ct_state=+rpl+inv+snat',
  'ct_zone=0',
  'ct_zone=65535',
  'ct_mark=0xffffffff',
  'ct_mark=0/0x1',
  'ct_label=0xffffffffffffffffffffffffffffffff',
  'ct_label=0x1234/0xffff0000000000000000000000000000',
  'ct_label=0',
  'conj_id=0',
  'conj_id=4294967295',
  'dp_hash=0',
  'dp_hash=0xffffffff/0xffffffff',
  'recirc_id=0',
  'actset_output=CONTROLLER',
  'actset_output=65279',
  'packet_type=(0,0)',
  'packet_type=(1,0x86dd)',
  'packet_type=(1,0x806)',
  'packet_type=(0,0x894f)',
  'tcp,ct_state=+trk,ct_zone=1,ct_mark=2,ct_label=3,reg0=4,metadata=5,tun_id=6,pkt_mark=7,dp_hash=8,recirc_id=9,conj_id=10,in_port=11,actset_output=12,dl_vlan=13,dl_src=00:00:00:00:00:0e,dl_dst=00:00:00:00:00:0f,nw_src=1.0.0.16,nw_dst=1.0.0.17,nw_tos=72,nw_ecn=1,nw_ttl=19,ip_frag=no,tp_src=20,tp_dst=21,tcp_flags=+syn,tun_src=1.0.0.22,tun_dst=1.0.0.23,tun_flags=+oam,tun_metadata0=0x24,tun_gbp_id=25',
  'eth',
  'eth,in_port=1',
  'eth,reg0=1',
  'eth,dl_dst=00:00:00:00:00:01',
  'eth,recirc_id=9',
  'recirc_id=9,eth,tcp',
  'recirc_id=5,in_port=1',
  'recirc_id=5,dl_vlan=1',
  'packet_type=(0,0),ip',
  'recirc_id=5,packet_type=(1,0x800)',
  'tun_metadata0=0x1234/0xff',
  'tun_metadata0=0xff00',
  'tun_metadata0=0x00ff/0xff00',
  'icmp6,icmp_type=135,nd_options_type=1,nd_reserved=5,nd_target=fe80::1,nd_sll=00:00:00:00:00:01',
  'icmp6,icmp_type=136,icmp_code=0,nd_reserved=0,nd_options_type=2',
  // Neutron OVS agent style flows.
  'icmp6,in_port=2,icmp_type=136,nd_target=fe80::f816:3eff:fe00:1',
  'arp,reg5=0x3,arp_spa=10.0.0.5',
  'ct_state=+est-rel-rpl,ipv6,reg5=0x3',
  'ct_state=+trk,ct_mark=0x1,reg5=0x3',
  'dl_vlan=1,dl_dst=fa:16:3e:00:00:01',
  'in_port=1,vlan_tci=0x0000/0x1fff',
  'tun_id=0x3e9,in_port=3',
  'udp,dl_vlan=1,nw_src=0.0.0.0,nw_dst=255.255.255.255,tp_src=68,tp_dst=67',
  // Ports: OF1.0 reserved numbers and their OF1.1 spellings print in OF1.0 decimal.
  'in_port=65280',
  'in_port=4294967040',
  'in_port=4294967294',
  'actset_output=65280',
  'actset_output=4294967040',
  // Conntrack tuple fields: any state bit implying a valid connection will do, not only +trk-inv (is_ct_valid).
  'ip,ct_state=+est+trk,ct_nw_dst=10.0.0.0/24',
  'ct_state=+new,ct_nw_proto=6',
  'ct_state=+est+inv,ct_nw_proto=6',
  'ct_state=+snat,ct_nw_proto=17,ct_tp_dst=53',
  'ipv6,ct_state=+rpl+trk,ct_ipv6_dst=2001:db8::/64',
  'ct_state=-inv+trk+dnat,ct_nw_proto=6,ct_tp_src=0x50/0xfff0',
  // tun_metadata: a given mask stays on the wire, even all ones, and widens a shorter value.
  'tun_metadata1=0x12/0xff',
  'tun_metadata1=0x1/0xffff',
  'tun_metadata1=0x1234/0x00ff',
  'tun_metadata1=0x12/0',
  'tun_metadata1',
  'tun_metadata4=0/0xff',
  // ERSPAN and GTP-U: OVS 3.1 stores the value as the mask for these (match_set_*_masked).
  'tun_erspan_ver=1,tun_erspan_idx=0x10',
  'tun_erspan_dir=1,tun_erspan_ver=2',
  'tun_erspan_hwid=0x5,tun_erspan_ver=2',
  'tun_erspan_hwid=0x3f,tun_erspan_ver=2,tun_erspan_dir=0',
  'tun_erspan_ver=5/0x3',
  'tun_erspan_ver=0',
  'tun_erspan_idx=0x10',
  'tun_erspan_idx=0x10/0xff,tun_erspan_ver=1',
  'tun_gtpu_flags=0x30',
  'tun_gtpu_flags=0x31/0xf0',
  'tun_gtpu_flags=0',
  'tun_gtpu_msgtype=255',
  'tun_gtpu_msgtype=0xfe',
  'tun_gtpu_msgtype=0x12/0',
  'reg0=1,tun_gtpu_msgtype=3,tun_gtpu_flags=0x1,tun_id=5,tun_flags=+oam,tun_metadata0=1,tun_erspan_ver=1,tun_erspan_idx=3,tun_gbp_id=1',
];

/** Flows whose OVS text drops information that is on the wire (a tun_gbp_flags mask, an explicit default packet_type). */
const LOSSY_TEXT = new Set([
  'tun_gbp_flags=0x80/0xf0',
  'tun_metadata0=0x1234/0xff',
  'tun_metadata1=0x12/0xff',
  'tun_metadata1=0x1/0xffff',
  'tun_metadata1=0x1234/0x00ff',
  'tun_metadata1=0x12/0',
  'tun_metadata4=0/0xff',
  'tun_erspan_ver=5/0x3',
  'tun_erspan_idx=0x10',
  'tun_erspan_idx=0x10/0xff,tun_erspan_ver=1',
  'tun_gtpu_flags=0x31/0xf0',
  'packet_type=(0,0)', 'eth', 'eth,in_port=1', 'eth,reg0=1']);

describe('OF1.3 match goldens (ovs-ofctl -O OpenFlow13 parse-flow)', () => {
  it.each(MATCHES)('%s', (flow) => {
    const p = ovsParse(`table=0,${flow}${flow ? ',' : ''}actions=drop`, 'OpenFlow13');
    const bytes = matchBytes(p);
    const text = matchText(p);

    const decoded = decodeMatch(new Reader(bytes));
    expect(formatMatch(decoded)).toBe(text);
    expect(encode(decoded)).toBe(hex(bytes));
    expect(() => checkPrerequisites(decoded)).not.toThrow();
    // OVS's own canonical text must build the same bytes as the user's text (where OVS's text keeps everything).
    if (!LOSSY_TEXT.has(flow)) expect(encode(build(text))).toBe(hex(bytes));
    expect(encode(build(flow))).toBe(hex(bytes));
  });
});

/** [flow, field OVS cannot keep]: OVS drops (or refuses) the field; we refuse with an EncodeError naming it. */
const UNMET: Array<[string, string, RegExp]> = [
  ['ip,tp_dst=80', 'tp_dst', /^tcp_dst requires ip_proto=6 \(tcp\)$/],
  ['tp_src=80', 'tp_src', /^tcp_src requires eth_type=ip or ipv6 and ip_proto=6/],
  ['icmp6,nd_target=fe80::1', 'nd_target', /^nd_target requires icmpv6_type=135 or 136/],
  ['icmp6,icmp_type=135,nd_tll=00:00:00:00:00:01', 'nd_tll', /^nd_tll requires icmpv6_type=136/],
  ['mpls_label=5', 'mpls_label', /^mpls_label requires eth_type=0x8847 or 0x8848/],
  ['arp_op=1', 'arp_op', /^arp_op requires eth_type=0x0806 or 0x8035/],
  ['ip,ipv6_src=::1', 'ipv6_src', /^ipv6_src requires eth_type=0x86dd/],
  ['tcp_flags=+syn', 'tcp_flags', /^tcp_flags requires eth_type=ip or ipv6 and ip_proto=6/],
  ['nw_ttl=3', 'nw_ttl', /^nw_ttl requires eth_type=0x0800 or 0x86dd/],
  ['ip,nw_proto=2,tp_src=5', 'tp_src', /^tcp_src requires ip_proto=6 \(tcp\)$/],
  ['ct_nw_proto=6', 'ct_nw_proto', /^ct_nw_proto requires ct_state=\+trk-inv \(or one of \+new, \+est/],
  ['ct_state=+trk,ct_nw_proto=6', 'ct_nw_proto', /^ct_nw_proto requires ct_state=\+trk-inv/],
  ['ct_state=+trk+inv,ct_nw_proto=6', 'ct_nw_proto', /^ct_nw_proto requires ct_state=\+trk-inv/],
  ['ct_state=-new+trk,ct_nw_proto=6', 'ct_nw_proto', /^ct_nw_proto requires ct_state=\+trk-inv/],
  ['ct_state=-est-rel,ct_nw_proto=6', 'ct_nw_proto', /^ct_nw_proto requires ct_state=\+trk-inv/],
  ['ct_state=+trk-inv,ct_nw_src=10.0.0.1', 'ct_nw_src', /^ct_nw_src requires eth_type=0x0800 \(ip\)$/],
];

describe('prerequisites: what OVS cannot express, we refuse', () => {
  it.each(UNMET)('%s', (flow, key, message) => {
    const r = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'parse-flow', `table=0,${flow},actions=drop`], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    const kept = /ADD (.*) actions=/.exec(out)?.[1] ?? '';
    // OVS either drops the field from the flow or rejects the flow outright.
    expect(kept.split(',').some((kv) => kv.startsWith(`${key}=`)) && !out.includes('***')).toBe(false);
    expect(() => build(flow)).toThrow(EncodeError);
    expect(() => build(flow)).toThrow(message);
  });
});

/** Text OVS refuses to parse: we refuse it too, with a ParseError. */
const REFUSED = [
  'in_port=0xfeff',
  'ip,ip_frag=3',
  'ip,ip_frag=0x1/0x1',
  'ct_state=+new-new',
  'ct_state=+bogus',
  'tcp,tcp_flags=+syn+nope',
  'nw_src=1.2.3',
  'dl_dst=zz:00:00:00:00:00',
  'in_port=NOWHERE',
  'reg0=0x100000000',
  'ct_label=0x100000000000000000000000000000000',
  'ct_zone=1/1',
  'ipv6_src=1::2::3',
  'nw_dst=10.0.0.0/33',
  'in_port=65536',
  'in_port=4294967039',
  'tun_metadata0=0x1,tun_metadata0=0x2/0xff',
  'actset_output=65536',
];

describe('text OVS refuses', () => {
  it.each(REFUSED)('%s', (flow) => {
    const r = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'parse-flow', `table=0,${flow},actions=drop`], { encoding: 'utf8' });
    expect(r.status, r.stdout).not.toBe(0);
    expect(() => build(flow)).toThrow(ParseError);
  });

  it.each(['in_port=NOWHERE', 'in_port=0xfeff', 'in_port=65536', 'actset_output=0x10', 'actset_output=4294967039', 'tun_metadata0=0x1,tun_metadata0=0x2'])(
    '%s is refused in the words of ovs-ofctl',
    (flow) => {
      const r = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'parse-flow', `table=0,${flow},actions=drop`], { encoding: 'utf8' });
      const ovsMessage = /ovs-ofctl: (.*)$/m.exec(r.stderr)?.[1];
      expect(ovsMessage, r.stderr).toBeDefined();
      expect(() => build(flow)).toThrow(ovsMessage);
    },
  );
});

describe('NXM match goldens (ovs-ofctl -O OpenFlow10 -F nxm)', () => {
  const NXM = [
    'tcp,in_port=1,dl_vlan=5,nw_tos=16,tp_dst=80,xreg1=5',
    'in_port=LOCAL,dl_src=fa:16:3e:00:00:01,arp,arp_sha=fa:16:3e:00:00:02,arp_op=2',
    'ipv6,ipv6_src=2001:db8::/32,ipv6_label=0x5,nw_ecn=1,nw_ttl=3',
    'tun_id=0x5/0xff,tun_src=1.1.1.1,reg1=0x7,ct_state=+trk+est,ct_zone=3',
    'icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=fa:16:3e:00:00:01',
    'tcp,tcp_flags=+syn-ack,tp_src=1024/0xfc00',
    'udp6,udp_src=546,udp_dst=547,vlan_tci=0x2000/0xe000',
  ];
  it.each(NXM)('%s', (flow) => {
    const raw = ovsParse(`table=0,${flow},actions=drop`, 'OpenFlow10');
    const text = matchText(ovsParse(`table=0,${flow},actions=drop`, 'OpenFlow10', false));
    // struct nx_flow_mod: the nx_match follows the 48-byte header, match_len at byte 40.
    const len = (raw.bytes[40] << 8) | raw.bytes[41];
    const nxm = raw.bytes.slice(48, 48 + len);
    const r = new Reader(nxm);
    const entries: Match = [];
    while (r.remaining) entries.push(decodeOxmEntry(r));
    expect(entries.every((e) => e.field !== null)).toBe(true);
    expect(formatMatch(entries)).toBe(text);
    const w = new Writer(64);
    for (const e of entries) encodeOxmEntry(w, e);
    expect(hex(w.copyFrom())).toBe(hex(nxm));
  });
});

/** [field as written, value as written, match giving its prerequisites]. */
const SET_FIELDS: Array<[string, string, string]> = [
  ['eth_dst', 'fa:16:3e:00:00:01', ''],
  ['dl_src', '00:00:00:00:00:0a', ''],
  ['vlan_vid', '0x1005', 'dl_vlan=1'],
  ['vlan_pcp', '3', 'dl_vlan=1'],
  ['ip_src', '10.0.0.1', 'ip'],
  ['nw_dst', '192.168.1.1', 'ip'],
  ['ip_dscp', '10', 'ip'],
  ['nw_ecn', '2', 'ip'],
  ['nw_ttl', '9', 'ip'],
  ['ipv6_src', '2001:db8::1', 'ipv6'],
  ['ipv6_label', '0x12345', 'ipv6'],
  ['tcp_dst', '80', 'tcp'],
  ['tp_src', '1024', 'tcp'],
  ['udp_src', '53', 'udp'],
  ['sctp_dst', '9', 'sctp'],
  ['icmp_type', '8', 'icmp'],
  ['icmpv6_code', '1', 'icmp6'],
  ['arp_op', '2', 'arp'],
  ['arp_spa', '10.0.0.2', 'arp'],
  ['arp_tha', 'fa:16:3e:00:00:09', 'arp'],
  ['nd_target', 'fe80::1', 'icmp6,icmp_type=135'],
  ['nd_sll', 'fa:16:3e:00:00:07', 'icmp6,icmp_type=135'],
  ['mpls_label', '100', 'mpls'],
  ['mpls_tc', '5', 'mpls'],
  ['mpls_ttl', '7', 'mpls'],
  ['tun_id', '0x1234', ''],
  ['tunnel_id', '7', ''],
  ['tun_src', '1.2.3.4', ''],
  ['tun_ipv6_dst', 'fe80::2', ''],
  ['tun_flags', '1', ''],
  ['tun_metadata1', '0x1234', ''],
  ['metadata', '0x10', ''],
  ['reg0', '0x5', ''],
  ['xreg3', '0x100000001', ''],
  ['xxreg1', '0x10000000000000000', ''],
  ['pkt_mark', '0x7', ''],
  ['in_port', '5', ''],
  ['in_port', 'LOCAL', ''],
];

describe('set_field values and OXM entries (OFPAT_SET_FIELD)', () => {
  it.each(SET_FIELDS)('set_field:%s->%s', (name, value, match) => {
    const p = ovsParse(`table=0,${match ? `${match},` : ''}actions=set_field:${value}->${name}`, 'OpenFlow13');
    const printed = /set_field:(.*)->(\S+)$/.exec(p.line);
    expect(printed, p.line).not.toBeNull();
    const [, ovsValue, ovsName] = printed!;
    // Instructions follow the padded match: APPLY_ACTIONS header (8), then the action header (4), then the OXM.
    const at = 48 + matchBytes(p).length + 8;
    const actionLen = (p.bytes[at + 2] << 8) | p.bytes[at + 3];
    const r = new Reader(p.bytes, at + 4, at + actionLen);
    const e = decodeOxmEntry(r) as MatchEntry;
    expect(e.field).not.toBeNull();
    expect(e.field.name).toBe(ovsName);
    expect(formatValue(e.field, e.value, e.mask)).toBe(ovsValue);
    const w = new Writer(32);
    encodeOxmEntry(w, e);
    const oxmLen = 4 + p.bytes[at + 7];
    expect(hex(w.copyFrom())).toBe(hex(p.bytes.slice(at + 4, at + 4 + oxmLen)));

    // Our parser reads what the user wrote into the same entry OVS put on the wire.
    const f = fieldByName(name)!;
    const parsed = parseValue(f, value);
    const w2 = new Writer(32);
    encodeOxmEntry(w2, { field: f, ...parsed });
    expect(hex(w2.copyFrom())).toBe(hex(p.bytes.slice(at + 4, at + 4 + oxmLen)));
  });
});

/** Fields as subfield sources: [text as written, match giving prerequisites]. */
const SUBFIELDS: Array<[string, string]> = [
  ['reg0[0..15]', ''],
  ['NXM_NX_REG1[3]', ''],
  ['eth_dst[]', ''],
  ['dl_src[0..7]', ''],
  ['NXM_OF_IN_PORT[]', ''],
  ['OXM_OF_IN_PORT[]', ''],
  ['in_port[0..7]', ''],
  ['vlan_tci[0..11]', ''],
  ['xreg1[]', ''],
  ['xxreg0[0..63]', ''],
  ['tun_id[0..31]', ''],
  ['tunnel_id[]', ''],
  ['metadata[0..31]', ''],
  ['tun_src[]', ''],
  ['ip_src[]', 'ip'],
  ['nw_dst[0..7]', 'ip'],
  ['ipv6_src[0..31]', 'ipv6'],
  ['tcp_dst[]', 'tcp'],
  ['udp_src[]', 'udp'],
  ['sctp_src[]', 'sctp'],
  ['arp_spa[]', 'arp'],
  ['arp_sha[]', 'arp'],
  ['ct_mark[]', ''],
  ['ct_label[0..31]', ''],
  ['ct_state[0..7]', ''],
  ['ct_zone[]', ''],
  ['pkt_mark[]', ''],
  ['tcp_flags[0..7]', 'tcp'],
  ['ip_dscp[]', 'ip'],
  ['nw_tos[]', 'ip'],
  ['nw_ttl[]', 'ip'],
  ['mpls_label[]', 'mpls'],
  ['vlan_vid[0..7]', 'dl_vlan=1'],
  ['tun_metadata5[0..7]', ''],
  ['dp_hash[]', ''],
  ['recirc_id[]', ''],
  ['conj_id[]', ''],
  ['actset_output[]', ''],
  ['vlan_vid[]', 'dl_vlan=1'],
  ['vlan_pcp[]', 'dl_vlan=1'],
  ['tun_flags[]', ''],
  ['ip_frag[]', 'ip'],
  ['in_port[]', ''],
  ['ipv6_label[]', 'ipv6'],
  ['tcp_flags[]', 'tcp'],
  ['nw_ecn[]', 'ip'],
  ['mpls_tc[]', 'mpls'],
  ['mpls_bos[]', 'mpls'],
  ['mpls_ttl[]', 'mpls'],
  ['tun_gbp_id[]', ''],
  ['icmp_type[]', 'icmp'],
  ['icmpv6_code[]', 'icmp6'],
  ['nd_target[0..31]', 'icmp6,icmp_type=135'],
  ['nd_tll[]', 'icmp6,icmp_type=136'],
  ['arp_op[]', 'arp'],
  ['eth_type[]', ''],
  ['ct_nw_proto[]', 'ct_state=+trk-inv'],
  ['ct_tp_dst[]', 'ct_state=+trk-inv,ct_nw_proto=6'],
  ['ct_nw_src[]', 'ip,ct_state=+trk-inv'],
  ['ct_ipv6_dst[0..31]', 'ipv6,ct_state=+trk-inv'],
  ['tun_ipv6_src[0..31]', ''],
  ['nw_proto[]', 'ip'],
];

describe('subfields and NX action field headers (NXAST_REG_MOVE)', () => {
  it.each(SUBFIELDS)('move:%s', (text, match) => {
    const sf = parseSubfield(text);
    // Fill a register (or xxreg) with the source bits: the destination is not under test.
    const dst = sf.nBits <= 32 ? `reg0[0..${sf.nBits - 1}]` : `xxreg0[0..${sf.nBits - 1}]`;
    const p = ovsParse(`table=0,${match ? `${match},` : ''}actions=move:${text}->${dst}`, 'OpenFlow13');
    const printed = /move:(\S+)->/.exec(p.line)![1];
    expect(formatSubfield(sf)).toBe(printed);
    // nx_action_reg_move: 16 bytes of fixed part, then the source header.
    const at = 48 + matchBytes(p).length + 8 + 16;
    const r = new Reader(p.bytes, at);
    const h = decodeFieldHeader(r);
    expect(h.field?.name).toBe(sf.field.name);
    expect(h.hasMask).toBe(false);
    const w = new Writer(16);
    encodeFieldHeader(w, sf.field);
    expect(hex(w.copyFrom())).toBe(hex(h.header));
  });
});

import { EncodeError } from '../errors.js';
import type { Match, OxmFieldDef, Prerequisite } from './types.js';
import { toBigInt } from './values.js';

/** What the exact-match entries of a match establish about the packet (meta-flow.c mf_are_prereqs_ok). */
interface Facts {
  ethType: number;
  ipProto: number;
  icmpType: number;
  icmpCode: number;
  vlanPresent: boolean;
  ctTracked: boolean;
}

const IP = 0x0800;
const IPV6 = 0x86dd;
const ARP = 0x0806;
const RARP = 0x8035;
const MPLS = 0x8847;
const MPLS_MCAST = 0x8848;
const PBB = 0x88e7;
const CS_INVALID = 0x10;
const CS_TRACKED = 0x20;
/** new, est, rel, rpl, snat, dnat: each implies a tracked, valid connection. */
const CS_IMPLIES_VALID = 0x01 | 0x02 | 0x04 | 0x08 | 0x40 | 0x80;

function factsOf(m: Match): Facts {
  const facts: Facts = { ethType: -1, ipProto: -1, icmpType: -1, icmpCode: 0, vlanPresent: false, ctTracked: false };
  for (const e of m) {
    if (e.field === null) continue;
    const v = Number(toBigInt(e.value) & 0xffffffffn);
    const exact = e.mask === undefined;
    switch (e.field.name) {
      case 'eth_type':
        facts.ethType = v;
        break;
      case 'nw_proto':
        facts.ipProto = v;
        break;
      case 'icmpv6_type':
        facts.icmpType = v;
        break;
      case 'icmpv6_code':
        facts.icmpCode = v;
        break;
      case 'vlan_vid':
        facts.vlanPresent = (v & 0x1000) !== 0 && (exact || (Number(e.mask) & 0x1000) !== 0);
        break;
      case 'vlan_tci':
        facts.vlanPresent = (v & 0x1000) !== 0 && (exact || (Number(e.mask) & 0x1000) !== 0);
        break;
      case 'ct_state': {
        // OVS is_ct_valid() for a match: a state bit that implies a valid connection, or +trk with an explicit -inv.
        const mask = exact ? 0xffffffff : Number(e.mask);
        const value = v & mask;
        facts.ctTracked =
          (value & CS_IMPLIES_VALID) !== 0 || ((value & CS_TRACKED) !== 0 && (mask & CS_INVALID) !== 0 && (value & CS_INVALID) === 0);
        break;
      }
    }
  }
  return facts;
}

const isIp = (f: Facts) => f.ethType === IP || f.ethType === IPV6;

function proto(f: Facts, p: number): boolean {
  return isIp(f) && f.ipProto === p;
}

/** The unmet requirement for `p`, or '' when it holds. */
function missing(p: Prerequisite, f: Facts): string {
  switch (p) {
    case 'none':
    case 'ethernet':
      return '';
    case 'arp':
      return f.ethType === ARP || f.ethType === RARP ? '' : 'eth_type=0x0806 or 0x8035 (arp or rarp)';
    case 'ipv4':
      return f.ethType === IP ? '' : 'eth_type=0x0800 (ip)';
    case 'ipv6':
      return f.ethType === IPV6 ? '' : 'eth_type=0x86dd (ipv6)';
    case 'ip_any':
      return isIp(f) ? '' : 'eth_type=0x0800 or 0x86dd (ip or ipv6)';
    case 'mpls':
      return f.ethType === MPLS || f.ethType === MPLS_MCAST ? '' : 'eth_type=0x8847 or 0x8848 (mpls)';
    case 'pbb':
      return f.ethType === PBB ? '' : 'eth_type=0x88e7 (pbb)';
    case 'vlan_vid':
      return f.vlanPresent ? '' : 'a VLAN tag (vlan_vid with OFPVID_PRESENT 0x1000)';
    case 'tcp':
      return proto(f, 6) ? '' : isIp(f) ? 'ip_proto=6 (tcp)' : 'eth_type=ip or ipv6 and ip_proto=6 (tcp)';
    case 'udp':
      return proto(f, 17) ? '' : isIp(f) ? 'ip_proto=17 (udp)' : 'eth_type=ip or ipv6 and ip_proto=17 (udp)';
    case 'sctp':
      return proto(f, 132) ? '' : isIp(f) ? 'ip_proto=132 (sctp)' : 'eth_type=ip or ipv6 and ip_proto=132 (sctp)';
    case 'icmpv4':
      return f.ethType === IP && f.ipProto === 1 ? '' : 'eth_type=0x0800 and ip_proto=1 (icmp)';
    case 'icmpv6':
      return f.ethType === IPV6 && f.ipProto === 58 ? '' : 'eth_type=0x86dd and ip_proto=58 (icmp6)';
    case 'nd':
    case 'nd_sll':
    case 'nd_tll': {
      const base = missing('icmpv6', f);
      if (base) return base;
      const types = p === 'nd' ? [135, 136] : p === 'nd_sll' ? [135] : [136];
      if (!types.includes(f.icmpType) || f.icmpCode !== 0) return `icmpv6_type=${types.join(' or ')} and icmpv6_code=0 (neighbor discovery)`;
      return '';
    }
    case 'ct':
      return f.ctTracked ? '' : 'ct_state=+trk-inv (or one of +new, +est, +rel, +rpl, +snat, +dnat)';
  }
}

/** Throws EncodeError naming the first field whose prerequisite the match does not establish. */
export function checkPrerequisites(m: Match): void {
  const facts = factsOf(m);
  for (const e of m) {
    if (e.field === null) continue;
    const why = missing(e.field.prereq, facts) || extraMissing(e.field, facts);
    if (why) throw new EncodeError(`${e.field.name} requires ${why}`);
  }
}

/** OVS also refuses conntrack tuple addresses whose family the match does not pin (OFPBAC_MATCH_INCONSISTENT). */
function extraMissing(f: OxmFieldDef, facts: Facts): string {
  if (f.name === 'ct_nw_src' || f.name === 'ct_nw_dst') return missing('ipv4', facts);
  if (f.name === 'ct_ipv6_src' || f.name === 'ct_ipv6_dst') return missing('ipv6', facts);
  return '';
}

/** Why `f` cannot appear in `m` ('' when its prerequisites hold). */
export function prerequisiteMissing(f: OxmFieldDef, m: Match): string {
  const facts = factsOf(m);
  return missing(f.prereq, facts) || extraMissing(f, facts);
}

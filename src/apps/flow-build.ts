import { OFPP } from '../openflow/actions/codes.js';
import { portFrom16 } from '../openflow/actions/ports.js';
import { applyActions, gotoTable, move, output, popVlan, pushVlan, setField, type Action, type Instruction } from '../openflow/actions/index.js';
import { EncodeError } from '../openflow/errors.js';
import { fieldByName, ipv4, ipv6, mac, type Match, type MatchEntry, type OxmFieldDef } from '../openflow/oxm/index.js';
import type { DesiredFlow } from '../reconciler/desired-flow.js';

/**
 * Typed construction of the apps' flows, without text. Each helper yields exactly what `parseFlow` of
 * the equivalent ovs-ofctl text gives (same values, same value types), and every match lists its
 * entries in OVS's own OF1.3 wire order (nx_put_raw: in_port, eth_src, eth_dst, eth_type, vlan_vid, ip_src /
 * ipv6_src, ip_proto, udp_src, udp_dst, arp_op, arp_spa, arp_tpa, arp_sha, tun_id, tun_src, reg0..15), with the entries it implies (eth_type for ARP), so that a dumped
 * flow reads back to the same identity. test/apps/flow-build.test.ts checks every app flow against the
 * text-built one (test/apps/text-oracle/) byte for byte. Keep the order when adding a match.
 */

function field(name: string): OxmFieldDef {
  const f = fieldByName(name);
  if (!f) throw new Error(`unknown field ${name}`);
  return f;
}

const F = {
  inPort: field('in_port_oxm'),
  ethSrc: field('eth_src'),
  ethDst: field('eth_dst'),
  ethType: field('eth_type'),
  vlanVid: field('vlan_vid'),
  ipSrc: field('ip_src'),
  ipv6Src: field('ipv6_src'),
  ipProto: field('nw_proto'),
  udpSrc: field('udp_src'),
  udpDst: field('udp_dst'),
  arpOp: field('arp_op'),
  arpSpa: field('arp_spa'),
  arpTpa: field('arp_tpa'),
  arpSha: field('arp_sha'),
  tunId: field('tun_id'),
  tunSrc: field('tun_src'),
} as const;

const ETH_TYPE_ARP = 0x0806;
const ETH_TYPE_IPV4 = 0x0800;
const ETH_TYPE_IPV6 = 0x86dd;
const IP_PROTO_UDP = 17;
const IP_PROTO_ICMPV6 = 58;
const ETH_TYPE_VLAN = 0x8100;
/** OFPVID_PRESENT: a tagged frame's vlan_vid (match `dl_vlan=N`, `set_field:..->vlan_vid`). */
const VID_PRESENT = 0x1000;

/** An ofport as ovs-ofctl reads `in_port=N` / `output:N` (OF1.0 numbering; 0xff00.. are the reserved ports). */
function port(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new EncodeError(`${n}: not an OpenFlow port number`);
  return portFrom16(n);
}

function vid(v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xfff) throw new EncodeError(`${v}: VLAN id out of range`);
  return VID_PRESENT | v;
}

function prefix(cidr: string, max: number): { addr: string; len: number } {
  const [addr, lenText] = cidr.split('/');
  const len = lenText === undefined ? max : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > max) throw new EncodeError(`${cidr}: bad prefix length`);
  return { addr, len };
}

function ipv4Cidr(cidr: string): { value: number; mask?: number } {
  const { addr, len } = prefix(cidr, 32);
  if (len === 32) return { value: ipv4(addr) };
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { value: (ipv4(addr) & mask) >>> 0, mask };
}

function ipv6Cidr(cidr: string): { value: bigint; mask?: bigint } {
  const { addr, len } = prefix(cidr, 128);
  if (len === 128) return { value: ipv6(addr) };
  const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n);
  return { value: ipv6(addr) & mask, mask };
}

// --- match entries (compose them in the wire order above) ---

export const inPort = (ofport: number): MatchEntry => ({ field: F.inPort, value: port(ofport) });
export const ethSrc = (macText: string): MatchEntry => ({ field: F.ethSrc, value: mac(macText) });
export const ethDst = (macText: string): MatchEntry => ({ field: F.ethDst, value: mac(macText) });
/** `dl_dst=V/M`, with V already masked (48-bit numbers: no bitwise AND on them here). */
export const ethDstMasked = (value: number, mask: number): MatchEntry => ({ field: F.ethDst, value, mask });
export const ethTypeArp: MatchEntry = Object.freeze({ field: F.ethType, value: ETH_TYPE_ARP });
/** `ip` / `ipv6`: the eth_type alone (put it before ip_src / ipv6_src). */
export const ethTypeIpv4: MatchEntry = Object.freeze({ field: F.ethType, value: ETH_TYPE_IPV4 });
export const ethTypeIpv6: MatchEntry = Object.freeze({ field: F.ethType, value: ETH_TYPE_IPV6 });
/** ip_proto=58, after ipv6_src: `icmp6` is eth_type ipv6 + this. */
export const ipProtoIcmpv6: MatchEntry = Object.freeze({ field: F.ipProto, value: IP_PROTO_ICMPV6 });
export const ipProtoUdp: MatchEntry = Object.freeze({ field: F.ipProto, value: IP_PROTO_UDP });
/** `udp` (eth_type and ip_proto, the prerequisites udp_src/udp_dst need, in wire order). */
export const udp: readonly MatchEntry[] = Object.freeze([ethTypeIpv4, ipProtoUdp]);
/** `nw_src=A` or `nw_src=A/len` (a /32 is exact, as OVS writes it). */
export const ipSrc = (cidr: string): MatchEntry => ({ field: F.ipSrc, ...ipv4Cidr(cidr) });
/** `ipv6_src=A` or `ipv6_src=A/len`. */
export const ipv6Src = (cidr: string): MatchEntry => ({ field: F.ipv6Src, ...ipv6Cidr(cidr) });
export const arpSpa = (cidr: string): MatchEntry => ({ field: F.arpSpa, ...ipv4Cidr(cidr) });
export const arpSha = (macText: string): MatchEntry => ({ field: F.arpSha, value: mac(macText) });
export const udpSrc = (p: number): MatchEntry => ({ field: F.udpSrc, value: p });
export const udpDst = (p: number): MatchEntry => ({ field: F.udpDst, value: p });
/** `dl_vlan=N`: tagged with VID N. */
export const dlVlan = (v: number): MatchEntry => ({ field: F.vlanVid, value: vid(v) });
/** `vlan_tci=0x0000/0x1fff`: untagged (OVS sends it as an exact vlan_vid of 0). */
export const untagged: MatchEntry = Object.freeze({ field: F.vlanVid, value: 0 });
export const arpOp = (op: number): MatchEntry => ({ field: F.arpOp, value: op });
export const arpTpa = (ip: string): MatchEntry => ({ field: F.arpTpa, value: ipv4(ip) });
export const tunId = (vni: number): MatchEntry => ({ field: F.tunId, value: BigInt(vni) });
export const tunSrc = (ip: string): MatchEntry => ({ field: F.tunSrc, value: ipv4(ip) });
const REGS = Array.from({ length: 16 }, (_, i) => field(`reg${i}`));
export const reg = (i: number, value: number): MatchEntry => ({ field: REGS[i], value: value >>> 0 });

// --- actions ---

export const out = (ofport: number): Action => output(port(ofport));
export const IN_PORT: Action = Object.freeze(output(OFPP.IN_PORT));
export const NORMAL: Action = Object.freeze(output(OFPP.NORMAL));
/** `CONTROLLER:65535`: the whole packet to the controller as a packet-in (no buffering). */
export const TO_CONTROLLER: Action = Object.freeze(output(OFPP.CONTROLLER));
export const POP_VLAN: Action = Object.freeze(popVlan());
export const PUSH_VLAN: Action = Object.freeze(pushVlan(ETH_TYPE_VLAN));
export const setReg = (i: number, value: number): Action => setField(`reg${i}`, value >>> 0);
/** `set_field:V->vlan_vid` with V = OFPVID_PRESENT | vid (also what `mod_vlan_vid:vid` sends in OF1.3). */
export const setVlanVid = (v: number): Action => setField('vlan_vid', vid(v));
export const setTunId = (vni: number): Action => setField('tun_id', BigInt(vni));
export const setTunDst = (ip: string): Action => setField('tun_dst', ipv4(ip));
export const setEthSrc = (macText: string): Action => setField('eth_src', mac(macText));
export const setArpOp = (op: number): Action => setField('arp_op', op);
export const setArpSha = (macText: string): Action => setField('arp_sha', mac(macText));
export const setArpSpa = (ip: string): Action => setField('arp_spa', ipv4(ip));
export const MOVE_ETH_SRC_TO_DST: Action = Object.freeze(move('NXM_OF_ETH_SRC[]', 'NXM_OF_ETH_DST[]'));
export const MOVE_ARP_SHA_TO_THA: Action = Object.freeze(move('NXM_NX_ARP_SHA[]', 'NXM_NX_ARP_THA[]'));
export const MOVE_ARP_SPA_TO_TPA: Action = Object.freeze(move('NXM_OF_ARP_SPA[]', 'NXM_OF_ARP_TPA[]'));

// --- instructions ---

/** `actions=a,b,goto_table:t`: apply-actions (when there are actions) then goto (when given); `drop` is neither. */
export function instructions(actions: Action[], goto?: number): Instruction[] {
  const out: Instruction[] = [];
  if (actions.length) out.push(applyActions(...actions));
  if (goto !== undefined) out.push(gotoTable(goto));
  return out;
}

/**
 * A DesiredFlow as `desiredFromFlowMod(parseFlow(...))` makes it (no timeouts, no flags), frozen: apps
 * hand the same object out again while its inputs are unchanged, so nobody may change it.
 */
export function desired(cookie: bigint, tableId: number, priority: number, match: Match, instr: Instruction[]): DesiredFlow {
  for (const e of match) Object.freeze(e);
  for (const i of instr) {
    if (i.type === 'apply_actions') for (const a of Object.freeze(i.actions)) Object.freeze(a);
    Object.freeze(i);
  }
  Object.freeze(match);
  Object.freeze(instr);
  return Object.freeze({ tableId, priority, match, instructions: instr, cookie, idleTimeout: 0, hardTimeout: 0, flags: 0 });
}

import type { Reader, Writer } from '../bytes.js';
import { DecodeError, ParseError } from '../errors.js';
import { NXAST } from './codes.js';
import { decodeActions } from './decode.js';
import { encodeActions, endAction, nxHeader, pad } from './encode.js';
import { formatActions } from './format.js';
import { parseActions } from './parse.js';
import { parseUint } from './ports.js';
import { readSubfieldHeader, writeSubfieldHeader } from './field-actions.js';
import { formatIpv4, formatIpv6, formatSubfield, ipv4, ipv6, parseSubfield } from './oxm.js';
import { splitKeyValues } from './text.js';
import type { CtAction, NatAction } from './types.js';

export const CT_COMMIT = 1;
export const CT_FORCE = 2;
const NO_TABLE = 255;
const ALG_NAMES: ReadonlyMap<number, string> = new Map([
  [21, 'ftp'],
  [69, 'tftp'],
]);

export const NAT_SRC = 1;
export const NAT_DST = 2;
const NAT_PERSISTENT = 4;
const NAT_HASH = 8;
const NAT_RANDOM = 16;
/** nx_nat_range bits: which optional range fields follow the fixed part. */
const R = { V4_MIN: 1, V4_MAX: 2, V6_MIN: 4, V6_MAX: 8, PORT_MIN: 16, PORT_MAX: 32 } as const;

/** nx_action_conntrack: flags, zone_src, zone (ofs_nbits or immediate), recirc_table, pad, alg, then actions. */
export function decodeCt(r: Reader, len: number): CtAction | null {
  if (len < 24) throw new DecodeError(`ct action length ${len} < 24`, r.pos - 10);
  const flags = r.u16();
  const zoneHeaderAt = r.pos;
  const zoneHeader = r.u32();
  const zoneVal = r.u16();
  const table = r.u8();
  r.skip(3);
  const alg = r.u16();
  const a: CtAction = { type: 'ct', flags, zoneImm: 0, table, alg, actions: [] };
  if (zoneHeader) {
    const saved = r.pos;
    r.pos = zoneHeaderAt;
    const sf = readSubfieldHeader(r, zoneVal);
    r.pos = saved;
    if (!sf) return null;
    a.zoneSrc = sf;
  } else {
    a.zoneImm = zoneVal;
  }
  a.actions = decodeActions(r);
  return a;
}

export function encodeCt(w: Writer, a: CtAction): void {
  const s = nxHeader(w, NXAST.CT);
  w.u16(a.flags);
  if (a.zoneSrc) {
    writeSubfieldHeader(w, a.zoneSrc, 4);
    w.u16((a.zoneSrc.ofs << 6) | (a.zoneSrc.nBits - 1));
  } else {
    w.u32(0);
    w.u16(a.zoneImm);
  }
  w.u8(a.table);
  pad(w, 3);
  w.u16(a.alg);
  encodeActions(w, a.actions);
  endAction(w, s);
}

export function formatCt(a: CtAction): string {
  let s = 'ct(';
  if (a.flags & CT_COMMIT) s += 'commit,';
  if (a.flags & CT_FORCE) s += 'force,';
  if (a.table !== NO_TABLE) s += `table=${a.table},`;
  if (a.zoneSrc) s += `zone=${formatSubfield(a.zoneSrc)},`;
  else if (a.zoneImm) s += `zone=${a.zoneImm},`;
  let rest = a.actions;
  // A leading nat is printed outside exec(), as OVS does.
  if (rest.length && rest[0].type === 'nat') {
    s += formatNat(rest[0]) + ',';
    rest = rest.slice(1);
  }
  if (rest.length) s += `exec(${formatActions(rest)}),`;
  if (a.alg) s += `alg=${ALG_NAMES.get(a.alg) ?? a.alg},`;
  if (s.endsWith(',')) s = s.slice(0, -1);
  return s + ')';
}

export function parseCt(value: string): CtAction {
  const a: CtAction = { type: 'ct', flags: 0, zoneImm: 0, table: NO_TABLE, alg: 0, actions: [] };
  for (const kv of splitKeyValues(value)) {
    switch (kv.key) {
      case 'commit':
        a.flags |= CT_COMMIT;
        break;
      case 'force':
        a.flags |= CT_FORCE;
        break;
      case 'table':
        a.table = parseUint(kv.value, 0xfe, 'ct table');
        break;
      case 'zone':
        if (/^(0x)?[0-9a-f]+$/i.test(kv.value)) a.zoneImm = parseUint(kv.value, 0xffff, 'ct zone');
        else a.zoneSrc = parseSubfield(kv.value);
        break;
      case 'alg': {
        const named = [...ALG_NAMES].find(([, n]) => n === kv.value);
        a.alg = named ? named[0] : parseUint(kv.value, 0xffff, 'ct alg');
        break;
      }
      case 'exec':
        a.actions.push(...parseActions(kv.value));
        break;
      case 'nat':
        a.actions.push(parseNat(kv.value));
        break;
      default:
        throw new ParseError(`unknown ct option "${kv.key}"`);
    }
  }
  checkCtExec(a);
  return a;
}

/** What ovs-ofctl allows in ct(exec(...)): nat, and writes to ct_mark/ct_label, which need commit. */
function checkCtExec(a: CtAction): void {
  let writes = false;
  for (const x of a.actions) {
    const dst = x.type === 'set_field' ? x.field : x.type === 'reg_load' || x.type === 'move' ? x.dst.field : undefined;
    if (dst) {
      if (dst.name !== 'ct_mark' && dst.name !== 'ct_label') throw new ParseError(`ct action doesn't support nested modification of ${dst.name}`);
      writes = true;
    } else if (x.type !== 'nat') {
      throw new ParseError(`ct action doesn't support nested action ${x.type}`);
    }
  }
  // OVS encodes these without commit but then refuses them (OFPBAC_BAD_ARGUMENT).
  if (writes && !(a.flags & CT_COMMIT)) throw new ParseError('ct: exec() may only set ct_mark/ct_label with commit');
}

/** nx_action_nat: pad, flags, range_present, then the present range fields in order, padded to 8. */
export function decodeNat(r: Reader): NatAction {
  r.skip(2);
  const flags = r.u16();
  const present = r.u16();
  const a: NatAction = { type: 'nat', flags };
  if (present & R.V4_MIN) a.addrMin = r.u32();
  if (present & R.V4_MAX) a.addrMax = r.u32();
  if (present & R.V6_MIN) a.addrMin = r.u128();
  if (present & R.V6_MAX) a.addrMax = r.u128();
  if (present & R.PORT_MIN) a.portMin = r.u16();
  if (present & R.PORT_MAX) a.portMax = r.u16();
  return a;
}

export function encodeNat(w: Writer, a: NatAction): void {
  const s = nxHeader(w, NXAST.NAT);
  const v6 = typeof a.addrMin === 'bigint' || typeof a.addrMax === 'bigint';
  let present = 0;
  if (a.addrMin !== undefined) present |= v6 ? R.V6_MIN : R.V4_MIN;
  if (a.addrMax !== undefined) present |= v6 ? R.V6_MAX : R.V4_MAX;
  if (a.portMin !== undefined) present |= R.PORT_MIN;
  if (a.portMax !== undefined) present |= R.PORT_MAX;
  w.zeros(2);
  w.u16(a.flags);
  w.u16(present);
  for (const addr of [a.addrMin, a.addrMax]) {
    if (typeof addr === 'bigint') w.u128(addr);
    else if (addr !== undefined) w.u32(addr);
  }
  if (a.portMin !== undefined) w.u16(a.portMin);
  if (a.portMax !== undefined) w.u16(a.portMax);
  endAction(w, s);
}

function formatAddr(v: number | bigint, bracket: boolean): string {
  if (typeof v === 'number') return formatIpv4(v);
  return bracket ? `[${formatIpv6(v)}]` : formatIpv6(v);
}

export function formatNat(a: NatAction): string {
  if (!(a.flags & (NAT_SRC | NAT_DST))) return 'nat';
  let s = a.flags & NAT_SRC ? 'nat(src' : 'nat(dst';
  if (a.addrMin !== undefined) {
    const bracket = !!a.portMin;
    s += '=' + formatAddr(a.addrMin, bracket);
    if (a.addrMax !== undefined && a.addrMax !== a.addrMin) s += '-' + formatAddr(a.addrMax, bracket);
    if (a.portMin) {
      s += `:${a.portMin}`;
      if (a.portMax && a.portMax !== a.portMin) s += `-${a.portMax}`;
    }
    if (a.flags & NAT_PERSISTENT) s += ',persistent';
    if (a.flags & NAT_HASH) s += ',hash';
    if (a.flags & NAT_RANDOM) s += ',random';
  }
  return s + ')';
}

/** `nat`, `nat(src)`, `nat(dst=10.0.0.1-10.0.0.5:80-90,persistent,random)`, `nat(src=[fe80::1]-[fe80::2]:5)`. */
export function parseNat(value: string): NatAction {
  const a: NatAction = { type: 'nat', flags: 0 };
  for (const kv of splitKeyValues(value)) {
    switch (kv.key) {
      case 'src':
      case 'dst':
        if (a.flags & (NAT_SRC | NAT_DST)) throw new ParseError('nat: only one of src and dst may be given');
        a.flags |= kv.key === 'src' ? NAT_SRC : NAT_DST;
        if (kv.value) parseNatRange(kv.value, a);
        break;
      case 'persistent':
        a.flags |= NAT_PERSISTENT;
        break;
      case 'hash':
        a.flags |= NAT_HASH;
        break;
      case 'random':
        a.flags |= NAT_RANDOM;
        break;
      default:
        throw new ParseError(`unknown nat option "${kv.key}"`);
    }
  }
  return a;
}

function parseNatRange(text: string, a: NatAction): void {
  let addrs: string;
  let ports = '';
  if (text.startsWith('[')) {
    // [v6]-[v6]:ports
    const m = /^\[([^\]]+)\](?:-\[([^\]]+)\])?(?::(.+))?$/.exec(text);
    if (!m) throw new ParseError(`nat: bad address range "${text}"`);
    a.addrMin = ipv6(m[1]);
    if (m[2]) a.addrMax = ipv6(m[2]);
    ports = m[3] ?? '';
  } else if ((text.match(/:/g) ?? []).length > 1) {
    const [lo, hi] = text.split('-');
    a.addrMin = ipv6(lo);
    if (hi) a.addrMax = ipv6(hi);
  } else {
    const colon = text.indexOf(':');
    addrs = colon < 0 ? text : text.slice(0, colon);
    ports = colon < 0 ? '' : text.slice(colon + 1);
    const [lo, hi] = addrs.split('-');
    a.addrMin = ipv4(lo);
    if (hi) a.addrMax = ipv4(hi);
  }
  if (ports) {
    const [lo, hi] = ports.split('-');
    a.portMin = parseUint(lo, 0xffff, 'nat port');
    if (hi) a.portMax = parseUint(hi, 0xffff, 'nat port');
  }
}

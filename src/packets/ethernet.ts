import { need, putU16, readMac, u16, writeMac } from './bytes.js';
import { PacketError } from './errors.js';

/** Ethernet II frames with at most one 802.1Q tag. MACs are 48-bit numbers, as in the OpenFlow codec. */

export const ETH_TYPE_IPV4 = 0x0800;
export const ETH_TYPE_ARP = 0x0806;
export const ETH_TYPE_VLAN = 0x8100;
export const ETH_BROADCAST = 0xffffffffffff;

export interface VlanTag {
  pcp: number;
  dei: boolean;
  vid: number;
}

export interface EthernetFrame {
  dst: number;
  src: number;
  /** The 802.1Q tag when the frame carries one (only one is decoded; an inner tag shows as etherType 0x8100). */
  vlan?: VlanTag;
  etherType: number;
  /** A view into the parsed buffer (may include the sender's trailing padding up to 60 bytes). */
  payload: Uint8Array;
}

export function parseEthernet(frame: Uint8Array): EthernetFrame {
  need(frame, 0, 14, 'Ethernet header');
  const dst = readMac(frame, 0);
  const src = readMac(frame, 6);
  let type = u16(frame, 12);
  let at = 14;
  let vlan: VlanTag | undefined;
  if (type === ETH_TYPE_VLAN) {
    need(frame, 14, 4, '802.1Q tag');
    const tci = u16(frame, 14);
    vlan = { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0xfff };
    type = u16(frame, 16);
    at = 18;
  }
  // Below 0x0600 the field is an 802.3 length, not an EtherType: not Ethernet II.
  if (type < 0x0600) throw new PacketError(`not an Ethernet II frame: length/type field ${type}`, at - 2);
  return vlan ? { dst, src, vlan, etherType: type, payload: frame.subarray(at) } : { dst, src, etherType: type, payload: frame.subarray(at) };
}

function checkMac(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > ETH_BROADCAST) throw new PacketError(`${what} ${v} is not a 48-bit MAC`);
}

/** Builds the frame (no trailing padding to 60 bytes: the switch or NIC pads short frames). */
export function buildEthernet(f: EthernetFrame): Buffer {
  checkMac(f.dst, 'destination');
  checkMac(f.src, 'source');
  const head = f.vlan ? 18 : 14;
  const out = Buffer.alloc(head + f.payload.length);
  writeMac(out, 0, f.dst);
  writeMac(out, 6, f.src);
  if (f.vlan) {
    const { pcp, dei, vid } = f.vlan;
    if (pcp < 0 || pcp > 7 || vid < 0 || vid > 0xfff) throw new PacketError(`invalid 802.1Q tag pcp=${pcp} vid=${vid}`);
    putU16(out, 12, ETH_TYPE_VLAN);
    putU16(out, 14, (pcp << 13) | (dei ? 0x1000 : 0) | vid);
  }
  putU16(out, head - 2, f.etherType);
  out.set(f.payload, head);
  return out;
}

import { PacketError } from './errors.js';
import { buildEthernet, ETH_TYPE_IPV4, parseEthernet, type EthernetFrame, type VlanTag } from './ethernet.js';
import { buildIpv4, IP_PROTO_UDP, isFragment, parseIpv4, type Ipv4Packet } from './ipv4.js';
import { buildUdp, parseUdp, type ParsedUdp } from './udp.js';

/** A whole Ethernet / IPv4 / UDP frame in one call: what packet-in handlers receive and packet-outs send. */

export interface UdpFrame {
  eth: EthernetFrame;
  ip: Ipv4Packet;
  udp: ParsedUdp;
}

/** Throws PacketError when any layer is malformed, the frame is not IPv4/UDP, or it is a fragment. */
export function parseUdpFrame(frame: Uint8Array): UdpFrame {
  const eth = parseEthernet(frame);
  if (eth.etherType !== ETH_TYPE_IPV4) throw new PacketError(`EtherType 0x${eth.etherType.toString(16).padStart(4, '0')} is not IPv4`);
  const ip = parseIpv4(eth.payload);
  if (ip.protocol !== IP_PROTO_UDP) throw new PacketError(`IP protocol ${ip.protocol} is not UDP`);
  if (isFragment(ip)) throw new PacketError('IPv4 fragment: the UDP datagram is incomplete');
  return { eth, ip, udp: parseUdp(ip.payload, ip.src, ip.dst) };
}

export interface UdpFrameSpec {
  ethSrc: number;
  ethDst: number;
  vlan?: VlanTag;
  ipSrc: number;
  ipDst: number;
  /** 64 unless given. */
  ttl?: number;
  tos?: number;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** Builds the frame with both checksums computed. */
export function buildUdpFrame(s: UdpFrameSpec): Buffer {
  const udp = buildUdp({ srcPort: s.srcPort, dstPort: s.dstPort, payload: s.payload }, s.ipSrc, s.ipDst);
  const ip = buildIpv4({
    tos: s.tos ?? 0,
    id: 0,
    flags: 0,
    fragmentOffset: 0,
    ttl: s.ttl ?? 64,
    protocol: IP_PROTO_UDP,
    src: s.ipSrc,
    dst: s.ipDst,
    payload: udp,
  });
  const eth: EthernetFrame = { dst: s.ethDst, src: s.ethSrc, etherType: ETH_TYPE_IPV4, payload: ip };
  if (s.vlan) eth.vlan = s.vlan;
  return buildEthernet(eth);
}

/** Pure packet codecs (bytes ⇄ typed objects, no I/O) for the frames the controller answers itself. */
export { PacketError } from './errors.js';
export { internetChecksum, onesSum, finishChecksum, pseudoHeaderSum } from './checksum.js';
export { parseEthernet, buildEthernet, ETH_TYPE_IPV4, ETH_TYPE_ARP, ETH_TYPE_VLAN, ETH_BROADCAST, type EthernetFrame, type VlanTag } from './ethernet.js';
export { parseIpv4, buildIpv4, isFragment, IP_PROTO_UDP, IPV4_BROADCAST, type Ipv4Packet } from './ipv4.js';
export { parseUdp, buildUdp, type UdpDatagram, type ParsedUdp } from './udp.js';
export { parseUdpFrame, buildUdpFrame, type UdpFrame, type UdpFrameSpec } from './udp-frame.js';
export { extractFlow, type PacketFlow } from './flow-extract.js';
// Text forms: the OpenFlow codec already has them (48-bit / 32-bit numbers ⇄ 'fa:16:3e:..' / '10.0.0.1').
export { mac, formatMac, ipv4, formatIpv4 } from '../openflow/oxm/addresses.js';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOOTREQUEST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, HTYPE_ETHERNET, Opt } from '../../../src/dhcp/constants.js';
import type { DhcpLease } from '../../../src/dhcp/lease.js';
import { buildDhcp, getMessageType, parseDhcp, type DhcpMessage, type DhcpOption } from '../../../src/dhcp/message.js';
import type { VlanTag } from '../../../src/packets/ethernet.js';
import { ETH_BROADCAST, ipv4, mac } from '../../../src/packets/index.js';
import { buildUdpFrame, parseUdpFrame, type UdpFrame } from '../../../src/packets/udp-frame.js';

/** What a VM's DHCP client sends, built with our own codec, and a decoder for the replies. */

export const CLIENT_MAC = 'fa:16:3e:12:34:56';

export const LEASE: DhcpLease = {
  mac: CLIENT_MAC,
  ip: '10.0.0.5',
  prefixLen: 24,
  gateway: '10.0.0.1',
  dnsServers: ['10.0.0.3', '8.8.8.8'],
  hostRoutes: [{ destination: '169.254.169.254/32', nexthop: '10.0.0.2' }],
  mtu: 1450,
  leaseSeconds: 86400,
  serverIp: '10.0.0.2',
  serverMac: 'fa:16:3e:00:00:02',
  domainName: 'openstacklocal',
  hostname: 'vm-1',
};

export interface ClientRequest {
  type: number;
  xid?: number;
  flags?: number;
  ciaddr?: string;
  requestedIp?: string;
  serverId?: string;
  /** The Ethernet source; CLIENT_MAC unless given. */
  srcMac?: string;
  /** The chaddr; CLIENT_MAC unless given. */
  chaddr?: string;
  parameterList?: number[];
  extra?: DhcpOption[];
  vlan?: VlanTag;
}

function addr(text: string): Uint8Array {
  const v = ipv4(text);
  return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

export function clientMessage(r: ClientRequest): DhcpMessage {
  const options: DhcpOption[] = [{ code: Opt.MESSAGE_TYPE, data: Uint8Array.of(r.type) }];
  if (r.requestedIp) options.push({ code: Opt.REQUESTED_IP, data: addr(r.requestedIp) });
  if (r.serverId) options.push({ code: Opt.SERVER_ID, data: addr(r.serverId) });
  if (r.parameterList) options.push({ code: Opt.PARAMETER_LIST, data: Uint8Array.from(r.parameterList) });
  options.push(...(r.extra ?? []));
  const chaddr = new Uint8Array(16);
  chaddr.set(Buffer.from((r.chaddr ?? CLIENT_MAC).replace(/:/g, ''), 'hex'));
  return {
    op: BOOTREQUEST,
    htype: HTYPE_ETHERNET,
    hlen: 6,
    hops: 0,
    xid: r.xid ?? 0x3903f326,
    secs: 3,
    flags: r.flags ?? 0,
    ciaddr: r.ciaddr ? ipv4(r.ciaddr) : 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr,
    options,
  };
}

export function clientFrame(r: ClientRequest, edit?: (m: DhcpMessage) => void): Buffer {
  const m = clientMessage(r);
  edit?.(m);
  return buildUdpFrame({
    ethSrc: mac(r.srcMac ?? CLIENT_MAC),
    ethDst: ETH_BROADCAST,
    ...(r.vlan ? { vlan: r.vlan } : {}),
    ipSrc: r.ciaddr ? ipv4(r.ciaddr) : 0,
    ipDst: 0xffffffff,
    srcPort: DHCP_CLIENT_PORT,
    dstPort: DHCP_SERVER_PORT,
    payload: buildDhcp(m),
  });
}

export interface DecodedReply extends UdpFrame {
  dhcp: DhcpMessage;
  type: number | undefined;
  /** Option codes in wire order. */
  codes: number[];
}

export function decodeReply(frame: Uint8Array): DecodedReply {
  const f = parseUdpFrame(frame);
  const dhcp = parseDhcp(f.udp.payload);
  return { ...f, dhcp, type: getMessageType(dhcp), codes: dhcp.options.map((o) => o.code) };
}

/** The DHCPDISCOVER dhclient 4.4.3 sent from fa:16:3e:12:34:56 (see test/fixtures/dhcp/README.md). */
export function dhclientDiscover(): Buffer {
  const hex = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'dhcp', 'dhclient-discover.hex'), 'utf8');
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

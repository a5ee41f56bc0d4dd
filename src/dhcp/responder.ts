import { formatIpv4, formatMac } from '../openflow/oxm/addresses.js';
import { readMac } from '../packets/bytes.js';
import { ETH_BROADCAST } from '../packets/ethernet.js';
import { IPV4_BROADCAST } from '../packets/ipv4.js';
import { buildUdpFrame, parseUdpFrame, type UdpFrame } from '../packets/udp-frame.js';
import { BOOTREPLY, BOOTREQUEST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, FLAG_BROADCAST, HTYPE_ETHERNET, MessageType, messageTypeName, Opt } from './constants.js';
import { resolveLease, type DhcpLease, type ResolvedLease } from './lease.js';
import { buildDhcp, getMessageType, getOption, getOptionU32, parseDhcp, type DhcpMessage, type DhcpOption } from './message.js';
import { configOptions, nakOptions } from './reply-options.js';

/** The DHCP server side of RFC 2131 §4.3 for one port with one fixed address: no pool, no lease state. */

export type { DhcpLease } from './lease.js';

export type DhcpAnswer = { kind: 'reply'; messageType: 'offer' | 'ack' | 'nak'; frame: Buffer } | { kind: 'ignore'; reason: string };

/** What to send, before it is framed. */
type Verdict =
  | { type: typeof MessageType.OFFER | typeof MessageType.ACK; yiaddr: number; leaseTimes: boolean }
  | { type: typeof MessageType.NAK; message: string }
  | { ignore: string };

/** `frame` is the whole Ethernet frame the VM sent. Never throws: anything unanswerable is `ignore` with the reason. */
export function answerDhcp(frame: Uint8Array, lease: DhcpLease | undefined): DhcpAnswer {
  if (!lease) return ignore('no DHCP lease for this port');
  try {
    const r = resolveLease(lease);
    const pkt = parseUdpFrame(frame);
    if (pkt.udp.dstPort !== DHCP_SERVER_PORT || pkt.udp.srcPort !== DHCP_CLIENT_PORT) {
      return ignore(`UDP ${pkt.udp.srcPort} -> ${pkt.udp.dstPort} is not DHCP client -> server`);
    }
    const msg = parseDhcp(pkt.udp.payload);
    const bad = checkClient(msg, pkt, r);
    if (bad) return ignore(bad);
    const verdict = decide(msg, r);
    if ('ignore' in verdict) return ignore(verdict.ignore);
    return reply(verdict, msg, pkt, lease, r);
  } catch (e) {
    // PacketError from the codecs, ParseError from a lease address; anything else would be a bug, still not thrown.
    return ignore(e instanceof Error ? e.message : String(e));
  }
}

function ignore(reason: string): DhcpAnswer {
  return { kind: 'ignore', reason };
}

/** A BOOTREQUEST from an Ethernet client whose frame and chaddr both carry the port's own MAC (anti-spoofing). */
function checkClient(msg: DhcpMessage, pkt: UdpFrame, r: ResolvedLease): string | undefined {
  if (msg.op !== BOOTREQUEST) return `BOOTP op ${msg.op} is not a request`;
  if (msg.htype !== HTYPE_ETHERNET || msg.hlen !== 6) return `hardware type ${msg.htype}/${msg.hlen} is not Ethernet`;
  if (pkt.eth.src !== r.mac) return `Ethernet source ${formatMac(pkt.eth.src)} is not the port's MAC ${formatMac(r.mac)}`;
  const chaddr = readMac(msg.chaddr, 0);
  if (chaddr !== r.mac) return `chaddr ${formatMac(chaddr)} is not the port's MAC ${formatMac(r.mac)}`;
  return undefined;
}

/** RFC 2131 §4.3.1 (DISCOVER), §4.3.2 (REQUEST in its three client states), §4.3.5 (INFORM). */
function decide(msg: DhcpMessage, r: ResolvedLease): Verdict {
  const type = getMessageType(msg);
  if (type === undefined) return { ignore: 'no DHCP message type option' };
  const ip = r.ip;
  switch (type) {
    case MessageType.DISCOVER:
      return { type: MessageType.OFFER, yiaddr: ip, leaseTimes: true };
    case MessageType.REQUEST: {
      const serverId = getOptionU32(msg, Opt.SERVER_ID);
      const requested = getOptionU32(msg, Opt.REQUESTED_IP);
      const ack = { type: MessageType.ACK, yiaddr: ip, leaseTimes: true } as const;
      if (serverId !== undefined) {
        // SELECTING: the client chose among offers; one naming another server is none of our business.
        if (serverId !== r.serverIp) return { ignore: `REQUEST is for server ${formatIpv4(serverId)}` };
        return requested === ip ? ack : nak(`requested ${requested === undefined ? 'no address' : formatIpv4(requested)}, offered ${formatIpv4(ip)}`);
      }
      // RENEWING/REBINDING carry ciaddr (and must not carry option 50); INIT-REBOOT has ciaddr 0 and option 50.
      if (msg.ciaddr !== 0) return msg.ciaddr === ip ? ack : nak(`address ${formatIpv4(msg.ciaddr)} is not this port's`);
      if (requested !== undefined) return requested === ip ? ack : nak(`address ${formatIpv4(requested)} is not this port's`);
      return { ignore: 'REQUEST with neither server identifier, requested address nor ciaddr' };
    }
    case MessageType.INFORM:
      // The client configured its address itself and wants only the other parameters (§4.3.5).
      return { type: MessageType.ACK, yiaddr: 0, leaseTimes: false };
    case MessageType.DECLINE:
    case MessageType.RELEASE:
      return { ignore: `DHCP${messageTypeName(type)}: nothing to do, the address is fixed` };
    default:
      return { ignore: `DHCP${messageTypeName(type)} is not a client request we answer` };
  }
}

function nak(message: string): Verdict {
  return { type: MessageType.NAK, message };
}

function reply(v: Exclude<Verdict, { ignore: string }>, req: DhcpMessage, pkt: UdpFrame, lease: DhcpLease, r: ResolvedLease): DhcpAnswer {
  const isNak = v.type === MessageType.NAK;
  const options: DhcpOption[] = isNak ? nakOptions(r, v.message) : configOptions(lease, r, v.type, v.leaseTimes, getOption(req, Opt.PARAMETER_LIST));
  // RFC 6842: a client identifier the client sent is echoed back.
  const clientId = getOption(req, Opt.CLIENT_ID);
  if (clientId) options.push({ code: Opt.CLIENT_ID, data: clientId });
  const yiaddr = isNak ? 0 : v.yiaddr;
  const payload = buildDhcp({
    op: BOOTREPLY,
    htype: HTYPE_ETHERNET,
    hlen: 6,
    hops: 0,
    xid: req.xid,
    secs: 0,
    flags: req.flags,
    // Table 3: ciaddr is echoed in an ACK only; 0 in OFFER and NAK.
    ciaddr: v.type === MessageType.ACK ? req.ciaddr : 0,
    yiaddr,
    siaddr: 0,
    giaddr: req.giaddr,
    chaddr: req.chaddr,
    options,
  });
  // §4.1: NAKs are broadcast; otherwise ciaddr if set, else broadcast if asked, else unicast to yiaddr.
  const broadcastFlag = (req.flags & FLAG_BROADCAST) !== 0;
  let ipDst: number;
  if (isNak) ipDst = IPV4_BROADCAST;
  else if (req.ciaddr !== 0) ipDst = req.ciaddr;
  else if (broadcastFlag || yiaddr === 0) ipDst = IPV4_BROADCAST;
  else ipDst = yiaddr;
  const ethDst = isNak || broadcastFlag ? ETH_BROADCAST : r.mac;
  const frame = buildUdpFrame({
    ethSrc: r.serverMac,
    ethDst,
    // The reply is framed like the request: same 802.1Q tag, if any.
    ...(pkt.eth.vlan ? { vlan: pkt.eth.vlan } : {}),
    ipSrc: r.serverIp,
    ipDst,
    ttl: 64,
    srcPort: DHCP_SERVER_PORT,
    dstPort: DHCP_CLIENT_PORT,
    payload,
  });
  const messageType = v.type === MessageType.OFFER ? 'offer' : v.type === MessageType.ACK ? 'ack' : 'nak';
  return { kind: 'reply', messageType, frame };
}

import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import { INT_BRIDGE } from '../apps/bridge-ports.js';
import { App, cookieApp, DHCP_DOMAIN, DHCP_LEASE_SECONDS, DHCP_SERVER_MAC } from '../config/pipeline.js';
import { answerDhcp, type DhcpLease } from '../dhcp/index.js';
import { output } from '../openflow/actions/index.js';
import { OFPP } from '../openflow/actions/codes.js';
import type { PacketIn } from '../openflow/messages/index.js';
import type { AsyncMessageEvent } from '../switch/events.js';
import type { OpenFlowServer } from '../switch/server.js';
import type { SwitchSession } from '../switch/session.js';
import { formatIp, parseCidr } from '../store/ip.js';
import type { Port, Subnet } from '../store/types.js';
import type { FlowLoop } from './flow-loop.js';
import { TokenBuckets } from './token-buckets.js';

const OFP_NO_BUFFER = 0xffffffff;

export interface DhcpServiceOptions {
  leaseSeconds: number;
  /** Domain of the VMs' names (option 15); '' sends none. */
  domain: string;
  /** Requests per second a port may send on average (each costs the central controller a packet-in). */
  ratePerSecond: number;
  /** Requests a port may send at once (a booting VM's DISCOVER, REQUEST and retries). */
  burst: number;
}

export const DEFAULT_DHCP_OPTIONS: DhcpServiceOptions = { leaseSeconds: DHCP_LEASE_SECONDS, domain: DHCP_DOMAIN, ratePerSecond: 5, burst: 20 };

export interface DhcpCounters {
  requests: number;
  offers: number;
  acks: number;
  naks: number;
  ignored: number;
  rateLimited: number;
}

/**
 * Native DHCP: answers the requests br-int sends up (apps/dhcp-intercept.ts) with the port's own fixed IP
 * and its subnet's settings, as a packet-out on the port the request came in on. The port is found from
 * where the request entered (host, br-int ofport -> interface -> port), never from what the packet
 * claims, and answerDhcp only answers the port's own MAC, so a VM cannot obtain another port's lease.
 */
export class DhcpService {
  readonly counters: DhcpCounters = { requests: 0, offers: 0, acks: 0, naks: 0, ignored: 0, rateLimited: 0 };
  private readonly buckets: TokenBuckets;
  private sub: Subscription | undefined;

  constructor(
    private readonly server: OpenFlowServer,
    private readonly loop: FlowLoop,
    private readonly log: Logger,
    private readonly opts: DhcpServiceOptions = DEFAULT_DHCP_OPTIONS,
  ) {
    this.buckets = new TokenBuckets(opts.ratePerSecond, opts.burst);
  }

  start(): void {
    // rxjs rethrows a subscriber's exception asynchronously, which would end the process: contain it here.
    this.sub ??= this.server.packetIn$.subscribe((ev) => {
      try {
        this.onPacketIn(ev);
      } catch (err) {
        this.counters.ignored++;
        this.log.error({ err, switch: ev.session.name }, 'DHCP request failed');
      }
    });
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
  }

  private onPacketIn({ session, msg }: AsyncMessageEvent): void {
    if (msg.type !== 'packet_in' || cookieApp(msg.cookie) !== App.DHCP) return;
    this.counters.requests++;
    const port = this.portOf(session, msg);
    if (!port) return this.ignore(session, msg, 'no bound port on this interface');
    if (!this.buckets.take(port.id)) {
      this.counters.rateLimited++;
      return;
    }
    const answer = answerDhcp(msg.data, this.leaseOf(port));
    if (answer.kind === 'ignore') return this.ignore(session, msg, answer.reason, port.id);
    this.counters[answer.messageType === 'offer' ? 'offers' : answer.messageType === 'ack' ? 'acks' : 'naks']++;
    const ofport = inPortOf(msg)!;
    session.send({ type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: OFPP.CONTROLLER, actions: [output(ofport)], data: answer.frame });
    this.log.debug({ port: port.id, switch: session.name, reply: answer.messageType }, 'DHCP answered');
  }

  /** The port bound and plugged at the request's ingress: br-int of its host, at its ofport. */
  private portOf(session: SwitchSession, msg: PacketIn): Port | undefined {
    const id = session.identity;
    const ofport = inPortOf(msg);
    if (!id || id.bridge !== INT_BRIDGE || ofport === undefined) return undefined;
    const iface = session.ports.get(ofport)?.name;
    const port = iface === undefined ? undefined : this.loop.mirror.portOfInterface(iface);
    const plug = port && this.loop.pluggedPorts.get(port.id);
    return plug && plug.host === id.host && plug.ofport === ofport ? port : undefined;
  }

  private leaseOf(port: Port): DhcpLease | undefined {
    const addr = this.loop.mirror.dhcpAddress(port);
    const network = this.loop.mirror.networks.get(port.network_id);
    if (!addr || !network) return undefined;
    const { ip, subnet } = addr;
    return {
      mac: port.mac_address.toLowerCase(),
      ip,
      prefixLen: parseCidr(subnet.cidr)!.prefixLength,
      ...(subnet.gateway_ip ? { gateway: subnet.gateway_ip } : {}),
      dnsServers: subnet.dns_nameservers,
      hostRoutes: subnet.host_routes,
      mtu: network.mtu,
      leaseSeconds: this.opts.leaseSeconds,
      serverIp: serverIpOf(subnet),
      serverMac: DHCP_SERVER_MAC,
      // Neutron's DHCP agent names a VM after its address: host-10-0-0-5.
      hostname: `host-${ip.replace(/\./g, '-')}`,
      ...(this.opts.domain ? { domainName: this.opts.domain } : {}),
    };
  }

  private ignore(session: SwitchSession, msg: PacketIn, reason: string, port?: string): void {
    this.counters.ignored++;
    this.log.debug({ switch: session.name, inPort: inPortOf(msg), port, reason }, 'DHCP request not answered');
  }
}

function inPortOf(msg: PacketIn): number | undefined {
  for (const e of msg.match) {
    if (e.field !== null && (e.field.name === 'in_port_oxm' || e.field.name === 'in_port')) return Number(e.value);
  }
  return undefined;
}

/**
 * The server identifier clients send unicast renewals to: the gateway when the subnet has one (the
 * address a router will answer ARP for), else the subnet's first address. Renewals that get no answer
 * fall back to broadcast rebinding, which reaches us either way.
 */
function serverIpOf(subnet: Subnet): string {
  if (subnet.gateway_ip) return subnet.gateway_ip;
  const { version, network } = parseCidr(subnet.cidr)!;
  return formatIp(version, network + 1n);
}

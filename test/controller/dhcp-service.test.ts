import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ownerCookie } from '../../src/apps/cookies.js';
import { App, DHCP_SERVER_MAC, makeCookie } from '../../src/config/pipeline.js';
import { DhcpService } from '../../src/controller/dhcp-service.js';
import type { FlowLoop } from '../../src/controller/flow-loop.js';
import { MessageType } from '../../src/dhcp/index.js';
import { fieldByName } from '../../src/openflow/oxm/index.js';
import type { OfMessage, PacketIn } from '../../src/openflow/messages/index.js';
import type { Port, Subnet } from '../../src/store/types.js';
import type { AsyncMessageEvent } from '../../src/switch/events.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { createLogger } from '../../src/util/log.js';
import { CLIENT_MAC, clientFrame, decodeReply } from '../dhcp/support/client.js';

// The service's own logic with a stand-in switch and topology (the OVS path is test/e2e/dhcp.e2e.test.ts):
// which port a packet-in belongs to, what is answered, and the per-port rate limit.
const PORT_ID = '11111111-2222-4333-8444-555555555555';
const IFACE = 'tap11111111-22';
const OFPORT = 7;

const port = { id: PORT_ID, network_id: 'net-1', mac_address: CLIENT_MAC, fixed_ips: [{ subnet_id: 'sub-1', ip_address: '10.0.0.5' }] } as Port;
const subnet = {
  id: 'sub-1', network_id: 'net-1', ip_version: 4, cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', enable_dhcp: true,
  dns_nameservers: [], host_routes: [],
} as unknown as Subnet;

function setUp(opts: { host?: string; bridge?: string; plugged?: boolean; subnet?: Subnet } = {}) {
  const packetIn$ = new Subject<AsyncMessageEvent>();
  const sent: OfMessage[] = [];
  const session = {
    identity: { host: opts.host ?? 'h1', bridge: opts.bridge ?? 'br-int', key: 'h1/br-int' },
    name: 'h1/br-int',
    ports: new Map([[OFPORT, { name: IFACE }]]),
    send: (m: OfMessage) => sent.push(m),
  } as unknown as SwitchSession;
  const loop = {
    mirror: {
      portOfInterface: (name: string) => (name === IFACE ? port : undefined),
      dhcpAddress: () => ({ ip: '10.0.0.5', subnet: opts.subnet ?? subnet }),
      networks: new Map([['net-1', { mtu: 1450 }]]),
    },
    pluggedPorts: new Map(opts.plugged === false ? [] : [[PORT_ID, { host: 'h1', iface: IFACE, ofport: OFPORT, live: true }]]),
  } as unknown as FlowLoop;
  const dhcp = new DhcpService({ packetIn$ } as unknown as OpenFlowServer, loop, createLogger('silent'),
    { leaseSeconds: 3600, domain: 'openstacklocal', ratePerSecond: 5, burst: 3 });
  dhcp.start();
  const request = (frame: Buffer, cookie = ownerCookie(App.DHCP, PORT_ID), inPort = OFPORT): void => {
    const msg: PacketIn = {
      type: 'packet_in', version: 4, xid: 0, bufferId: 0xffffffff, totalLen: frame.length, reason: 1, tableId: 0, cookie,
      match: [{ field: fieldByName('in_port_oxm')!, value: inPort }], data: frame,
    };
    packetIn$.next({ session, msg });
  };
  return { dhcp, sent, request };
}

describe('DhcpService', () => {
  it('answers the port plugged at the ingress with a packet-out on that port', () => {
    const { dhcp, sent, request } = setUp();
    request(clientFrame({ type: MessageType.DISCOVER }));
    expect(sent).toHaveLength(1);
    const out = sent[0] as Extract<OfMessage, { type: 'packet_out' }>;
    expect(out.actions).toEqual([expect.objectContaining({ type: 'output', port: OFPORT })]);
    const reply = decodeReply(out.data);
    expect(reply.type).toBe(MessageType.OFFER);
    expect(reply.dhcp.yiaddr).toBe(0x0a000005);
    expect(reply.eth.src).toBe(Number.parseInt(DHCP_SERVER_MAC.replace(/:/g, ''), 16));
    expect(dhcp.counters).toMatchObject({ requests: 1, offers: 1, ignored: 0 });
  });

  it('names the subnet\'s first address as the server when it has no gateway', () => {
    const { sent, request } = setUp({ subnet: { ...subnet, gateway_ip: null } });
    request(clientFrame({ type: MessageType.DISCOVER }));
    const reply = decodeReply((sent[0] as Extract<OfMessage, { type: 'packet_out' }>).data);
    expect(reply.ip.src).toBe(0x0a000001);
    expect(reply.codes).not.toContain(3); // no router option
  });

  it('ignores packet-ins of other apps, other bridges, unknown ofports and ports not plugged there', () => {
    for (const [setup, cookie, inPort] of [
      [{}, makeCookie(App.ARP_RESPONDER, 1), OFPORT],
      [{ bridge: 'br-tun' }, undefined, OFPORT],
      [{}, undefined, 99],
      [{ plugged: false }, undefined, OFPORT],
      [{ host: 'h2' }, undefined, OFPORT],
    ] as const) {
      const { sent, request } = setUp(setup);
      request(clientFrame({ type: MessageType.DISCOVER }), cookie, inPort);
      expect(sent, JSON.stringify(setup)).toEqual([]);
    }
  });

  it('does not answer another MAC than the port\'s, nor garbage', () => {
    const { dhcp, sent, request } = setUp();
    request(clientFrame({ type: MessageType.DISCOVER, srcMac: 'fa:16:3e:66:66:66', chaddr: 'fa:16:3e:66:66:66' }));
    request(Buffer.from('not a frame'));
    expect(sent).toEqual([]);
    expect(dhcp.counters).toMatchObject({ requests: 2, ignored: 2 });
  });

  it('holds each port to its burst, then to the rate', async () => {
    const { dhcp, sent, request } = setUp();
    for (let i = 0; i < 10; i++) request(clientFrame({ type: MessageType.DISCOVER, xid: i }));
    expect(sent).toHaveLength(3);
    expect(dhcp.counters.rateLimited).toBe(7);
    await new Promise((r) => setTimeout(r, 250)); // 5/s: one more token
    request(clientFrame({ type: MessageType.DISCOVER }));
    expect(sent).toHaveLength(4);
  });
});

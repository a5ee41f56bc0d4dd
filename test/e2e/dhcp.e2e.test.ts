import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowsCommand } from '../../src/cli/flows.js';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { interfaceNameFor } from '../../src/topology/model.js';
import { waitFor, type ApiClient, type ApiPort } from './api-client.js';
import { startControllerLab, type ControllerLab } from './controller-lab.js';
import type { ControllerProcess } from './controller-process.js';

// Native DHCP end to end: the controller as the README runs it, 2 lab hosts, a stock ISC dhclient in
// the VM namespaces; the lease comes from the port's fixed IP and its subnet, answered on the host.
const HOSTS = ['h1', 'h2'];
const CIDR = '10.20.0.0/24';

describe('native DHCP: dhclient in a VM gets its port\'s address from the controller', () => {
  let env: ControllerLab;
  let lab: Lab;
  let ctl: ControllerProcess;
  let api: ApiClient;
  let net: string;
  const ports: Record<string, ApiPort> = {};
  const vms: Record<string, LabVm> = {};

  /** A port on `host` and its VM, with an address configured by hand (`ip`) or none (for DHCP). */
  async function addVm(name: string, host: string, networkId: string, opts: { ip?: string; mac?: string } = {}): Promise<LabVm> {
    const port = await api.createPort(networkId, host);
    ports[name] = port;
    const vm = await lab.addVm(host, {
      name, iface: interfaceNameFor(port.id), mac: opts.mac ?? port.mac_address, portId: port.id,
      ...(opts.ip ? { ip: opts.ip } : {}),
    });
    vms[name] = vm;
    await waitFor(`${name} ACTIVE`, async () => (await api.port(port.id)).status === 'ACTIVE');
    return vm;
  }

  beforeAll(async () => {
    env = await startControllerLab({ name: 'dhcp', hosts: HOSTS, args: ['--dhcp-lease', '600', '--dhcp-domain', 'lab.example'] });
    ({ ctl, api, lab } = env);
    net = await api.createNetwork('net-dhcp');
    await api.call('POST', '/v2.0/subnets', {
      subnet: {
        network_id: net, cidr: CIDR, ip_version: 4, dns_nameservers: ['192.0.2.53'],
        host_routes: [{ destination: '198.51.100.0/24', nexthop: '10.20.0.254' }],
      },
    });
    await addVm('d2', 'h2', net);
    // d2 is configured by hand, so d1 has someone to reach once DHCP configured it.
    await vms.d2.exec('ip', 'addr', 'add', `${ports.d2.fixed_ips[0].ip_address}/24`, 'dev', 'eth0');
    await addVm('d1', 'h1', net);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('leases the port\'s fixed IP with the subnet\'s mask, gateway, DNS, routes and the network MTU; the VM then reaches others', async () => {
    const { result, lease } = await vms.d1.dhclient().obtain();
    expect(result.code, result.stderr).toBe(0);
    expect(lease).toMatchObject({
      ip: ports.d1.fixed_ips[0].ip_address,
      subnetMask: '255.255.255.0',
      routers: ['10.20.0.1'],
      dnsServers: ['192.0.2.53'],
      mtu: 1450,
      leaseSeconds: 600, // --dhcp-lease
      serverId: '10.20.0.1',
      hostname: `host-${ports.d1.fixed_ips[0].ip_address.replace(/\./g, '-')}`,
      domainName: 'lab.example', // --dhcp-domain
    });
    // RFC 3442 octets: /24 198.51.100 via 10.20.0.254, then the default route (/0) via the gateway.
    expect(lease!.classlessRoutes).toBe('24 198 51 100 10 20 0 254 0 10 20 0 1');
    const addr = await vms.d1.exec('ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0');
    expect(addr).toContain(`${ports.d1.fixed_ips[0].ip_address}/24`);
    expect(await vms.d1.exec('cat', '/sys/class/net/eth0/mtu')).toBe('1450\n');
    expect(await vms.d1.ping(ports.d2.fixed_ips[0].ip_address, { count: 2 })).toBe(true);
  });

  it('shows an operator the port\'s DHCP flows as h1\'s br-int holds them (neutrino flows --owner --app)', async () => {
    const out = { text: '', write(s: string) { this.text += s; } };
    const code = await flowsCommand('h1', 'br-int', { api: ctl.apiUrl, show: 'installed', owner: ports.d1.id, app: 'dhcp' }, out, out);
    expect(code, out.text).toBe(0);
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('tp_src=68,tp_dst=67'))).toMatch(/priority=12,udp,in_port=\d+,.*actions=CONTROLLER:65535/);
    expect(lines.find((l) => l.includes('tp_src=67,tp_dst=68'))).toMatch(/actions=drop/);
  });

  it('answers on the VM\'s host: no DHCP packet crosses the underlay', async () => {
    const cable = lab.underlay.hostPort('h1');
    const capture = await lab.capture({ netns: lab.underlay.netns!, iface: cable, filter: 'udp port 4789 or port 67 or port 68', durationMs: 6000 });
    // Renewing through INIT-REBOOT (the lease file has the lease): a broadcast REQUEST, answered by an ACK.
    const { result, lease } = await vms.d1.dhclient().obtain();
    expect(result.code, result.stderr).toBe(0);
    expect(lease?.ip).toBe(ports.d1.fixed_ips[0].ip_address);
    // The capture sees this VM's tunnelled traffic (so it would have seen DHCP, tunnelled or not).
    expect(await vms.d1.ping(ports.d2.fixed_ips[0].ip_address, { count: 1 })).toBe(true);
    const seen = await capture.done;
    const text = (p: { summary: string; inner: string[] }): string => [p.summary, ...p.inner].join(' ');
    expect(seen.some((p) => text(p).includes('ICMP echo request'))).toBe(true);
    expect(seen.filter((p) => /BOOTP|DHCP|\.6[78]\b/.test(text(p)))).toEqual([]);
  });

  it('drops DHCP server replies a VM sends (a rogue server) on a network the controller serves', async () => {
    // From d1: a broadcast from port 67 to 68 (what a DHCP server sends), and the same from port 6767 as a control.
    const send = (srcPort: number): Promise<string> => vms.d1.exec('python3', '-c', [
      'import socket', 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      's.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)', `s.bind(("", ${srcPort}))`,
      'for _ in range(3): s.sendto(b"\\x02" + bytes(299), ("255.255.255.255", 68))',
    ].join('\n'));
    const capture = await lab.capture({ netns: vms.d2.netns, iface: 'eth0', filter: 'udp dst port 68', durationMs: 3000 });
    await send(67);
    await send(6767);
    const seen = await capture.done;
    expect(seen.some((p) => p.summary.includes('.6767 >'))).toBe(true);
    expect(seen.filter((p) => /\.(67|bootps) >/.test(p.summary))).toEqual([]);
  });

  it('answers nobody but the port\'s own MAC, and no port on a subnet without DHCP', async () => {
    const spoofer = await addVm('s1', 'h1', net, { mac: 'fa:16:3e:66:66:66' });
    const noDhcpNet = await api.createNetwork('net-nodhcp');
    await api.call('POST', '/v2.0/subnets', { subnet: { network_id: noDhcpNet, cidr: '10.30.0.0/24', ip_version: 4, enable_dhcp: false } });
    const plain = await addVm('n1', 'h1', noDhcpNet);
    const [a, b] = await Promise.all([spoofer.dhclient(3).obtain(), plain.dhclient(3).obtain()]);
    expect(a.lease).toBeUndefined();
    expect(b.lease).toBeUndefined();
    expect(a.result.code).not.toBe(0);
    expect(await spoofer.exec('ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0')).toBe('');
  });

  it('starts answering when DHCP is enabled on the subnet, and counts what it did', async () => {
    const [noDhcp] = (await api.call<{ subnets: Array<{ id: string }> }>('GET', `/v2.0/subnets?network_id=${ports.n1.network_id}`)).subnets;
    await api.call('PUT', `/v2.0/subnets/${noDhcp.id}`, { subnet: { enable_dhcp: true } });
    let lease;
    await waitFor('n1 leased once DHCP is on', async () => (lease = (await vms.n1.dhclient(2).obtain()).lease) !== undefined, 30_000);
    expect(lease).toMatchObject({ ip: ports.n1.fixed_ips[0].ip_address });
    const metrics = await (await fetch(`${ctl.apiUrl}/v1/metrics`)).text();
    expect(Number(/neutrino_dhcp_packets_total\{outcome="ack"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/neutrino_dhcp_packets_total\{outcome="ignored"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });
});

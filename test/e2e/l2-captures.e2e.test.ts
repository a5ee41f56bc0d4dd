import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertLabPrerequisites, Lab, type Capture, type CapturedPacket, type LabVm } from '../../src/lab/index.js';
import { interfaceNameFor } from '../../src/topology/model.js';
import { waitFor, type ApiClient, type ApiPort } from './api-client.js';
import { startControllerLab, type ControllerLab } from './controller-lab.js';
import type { ControllerProcess } from './controller-process.js';

// What the wire shows, with the controller (`neutrino run`, its own process) programming 3 lab hosts
// from the Neutron API alone: no hand-written flows. Captures are tcpdump on the underlay cables.
const HOSTS = ['h1', 'h2', 'h3'];
const BRIDGES = ['br-int', 'br-tun', 'br-eth1'];

describe('L2 on the wire: ARP stays local, flooding reaches only hosts of the network, flat is untagged', () => {
  let lab: Lab;
  let ctl: ControllerProcess;
  let api: ApiClient;
  let env: ControllerLab;
  /** N: vxlan on h1 + h2. M: vxlan on h1 + h3 (so h3 is a tunnel peer of h1, just not for N). */
  const net: Record<'n' | 'm', { id: string; vni: number }> = { n: { id: '', vni: 0 }, m: { id: '', vni: 0 } };
  const ports: Record<string, ApiPort> = {};
  const vms: Record<string, LabVm> = {};

  async function addPort(name: string, networkId: string, host: string, ip: string): Promise<LabVm> {
    const port = await api.createPort(networkId, host, ip);
    ports[name] = port;
    vms[name] = await lab.addVm(host, {
      name, iface: interfaceNameFor(port.id), mac: port.mac_address, ip: `${ip}/24`, portId: port.id,
    });
    return vms[name];
  }

  async function vxlanNetwork(name: string, cidr: string): Promise<{ id: string; vni: number }> {
    const id = await api.createNetwork(name);
    await api.createSubnet(id, cidr);
    const { network } = await api.call<{ network: Record<string, unknown> }>('GET', `/v2.0/networks/${id}`);
    expect(network['provider:network_type']).toBe('vxlan');
    return { id, vni: Number(network['provider:segmentation_id']) };
  }

  async function settled(names: string[]): Promise<void> {
    for (const name of names) await waitFor(`${name} ACTIVE`, async () => (await api.port(ports[name].id)).status === 'ACTIVE');
    await waitFor('every bridge in sync', async () => {
      const all = await Promise.all(HOSTS.flatMap((h) => BRIDGES.map((b) => api.flows(h, b))));
      return all.every((f) => f.diff.length === 0);
    }, 15_000);
  }

  beforeAll(async () => {
    // arping (Debian package arping) and tcpdump are what this file drives beyond the lab itself.
    assertLabPrerequisites(['tcpdump', 'ping', 'arping']);
    env = await startControllerLab({ name: 'cap', hosts: HOSTS, providerBridges: ['br-eth1'], bridgeMappings: { physnet1: 'br-eth1' } });
    ({ ctl, api, lab } = env);
    net.n = await vxlanNetwork('net-n', '10.50.0.0/24');
    net.m = await vxlanNetwork('net-m', '10.60.0.0/24');
    expect(net.n.vni).not.toBe(net.m.vni);
    await addPort('n1', net.n.id, 'h1', '10.50.0.11');
    await addPort('n2', net.n.id, 'h2', '10.50.0.12');
    await addPort('m1', net.m.id, 'h1', '10.60.0.11');
    await addPort('m3', net.m.id, 'h3', '10.60.0.13');
    await settled(['n1', 'n2', 'm1', 'm3']);
    // Warm-up: the tunnel endpoints resolve each other and the underlay's Linux bridge learns their MACs,
    // so later tunnel unicast is not flooded by the *underlay* to every cable.
    await waitFor('n1 -> n2', () => vms.n1.ping(vms.n2.ip, { count: 1 }));
    await waitFor('m1 -> m3', () => vms.m1.ping(vms.m3.ip, { count: 1 }));
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('answers ARP on the host: VM1 resolves VM2 (other host), no ARP crosses h1\'s underlay cable', async () => {
    const { n1, n2 } = vms;
    const ul = lab.underlay.netns!;
    const cable = lab.underlay.hostPort('h1');
    await n1.exec('ip', 'neigh', 'flush', 'dev', 'eth0');
    expect(await neighbourMac(n1, n2.ip)).toBeUndefined();
    const [arpOnCable, tunnelled] = await Promise.all([
      // ARP in any form: bare on the cable, or inside VXLAN (the filter is proven by the flooding test below).
      lab.capture({ netns: ul, iface: cable, filter: `arp or (${VXLAN_INNER_ARP})`, durationMs: 8000 }),
      lab.capture({ netns: ul, iface: cable, filter: VXLAN_INNER_IPV4, durationMs: 8000 }),
    ]);
    const arping = await n1.run(['arping', '-c', '2', '-w', '3', '-I', 'eth0', n2.ip], { allowFailure: true });
    // Resolution by the kernel itself, then real traffic over the tunnel (the capture's positive control).
    expect(await n1.ping(n2.ip, { count: 2 })).toBe(true);
    const [arp, ipv4] = await finish(arpOnCable, tunnelled);
    expect(arping.code, arping.stdout + arping.stderr).toBe(0);
    const replies = arping.stdout.split('\n').filter((l) => /bytes from|reply from/i.test(l));
    expect(replies.length, arping.stdout).toBeGreaterThanOrEqual(2);
    for (const r of replies) expect(r.toLowerCase()).toContain(n2.mac);
    for (const r of replies) expect(r).toContain(n2.ip);
    expect(await neighbourMac(n1, n2.ip)).toBe(n2.mac);
    // The captures work: the pings crossed this cable, in VXLAN with N's VNI, both ways.
    expect(ipv4.filter((p) => isVxlan(p, net.n.vni) && p.summary.startsWith(`${lab.tunnelIp('h1')}.`)).length).toBeGreaterThanOrEqual(2);
    expect(ipv4.filter((p) => isVxlan(p, net.n.vni) && p.summary.startsWith(`${lab.tunnelIp('h2')}.`)).length).toBeGreaterThanOrEqual(2);
    // No ARP at all, encapsulated or bare, except the underlay's own resolution of tunnel endpoints (192.0.2.0/24).
    expect(arp.filter((p) => !/^(Request who-has|Reply) 192\.0\.2\.\d+ /.test(p.summary)).map((p) => p.raw)).toEqual([]);
  });

  it('floods a broadcast of N only to h2 (which has N), never to h3 (which has only M)', async () => {
    const { n1, n2, m1, m3 } = vms;
    const ul = lab.underlay.netns!;
    // An ARP request for an address nobody owns: broadcast, not answered on the host, so flooded.
    const captures = await Promise.all([
      lab.capture({ netns: ul, iface: lab.underlay.hostPort('h2'), filter: 'udp port 4789', durationMs: 12_000 }),
      lab.capture({ netns: ul, iface: lab.underlay.hostPort('h3'), filter: 'udp port 4789', durationMs: 12_000 }),
      lab.capture({ netns: n2.netns, iface: 'eth0', filter: 'arp', durationMs: 12_000 }),
      lab.capture({ netns: m3.netns, iface: 'eth0', filter: 'arp', durationMs: 12_000 }),
      lab.capture({ netns: ul, iface: lab.underlay.hostPort('h2'), filter: VXLAN_INNER_ARP, durationMs: 12_000 }),
    ]);
    await Promise.all([
      n1.run(['arping', '-c', '2', '-w', '2', '-I', 'eth0', '10.50.0.99'], { allowFailure: true }),
      // Positive control for h3's cable: M's broadcast must reach h3.
      m1.run(['arping', '-c', '2', '-w', '2', '-I', 'eth0', '10.60.0.99'], { allowFailure: true }),
    ]);
    const [h2Wire, h3Wire, n2Got, m3Got, h2Arp] = await finish(...captures);
    const whoHas = (ip: string, from: LabVm) => (p: CapturedPacket): boolean =>
      p.ethSrc === from.mac && p.ethDst === 'ff:ff:ff:ff:ff:ff' && p.summary.startsWith(`Request who-has ${ip} tell ${from.ip}`);
    // N's broadcast: delivered to VM2, and on h2's cable in VXLAN with N's VNI (and caught by the inner-ARP filter).
    expect(n2Got.filter(whoHas('10.50.0.99', n1)).length).toBeGreaterThanOrEqual(2);
    const fromH1 = (p: CapturedPacket): boolean => p.summary.startsWith(`${lab.tunnelIp('h1')}.`);
    expect(h2Wire.filter((p) => isVxlan(p, net.n.vni) && fromH1(p)).length).toBeGreaterThanOrEqual(2);
    expect(h2Arp.filter((p) => isVxlan(p, net.n.vni) && fromH1(p)).length).toBeGreaterThanOrEqual(2);
    // M's broadcast arrived at h3 (so that capture does see h3's tunnel traffic)...
    expect(m3Got.filter(whoHas('10.60.0.99', m1)).length).toBeGreaterThanOrEqual(2);
    expect(h3Wire.filter((p) => isVxlan(p, net.m.vni) && fromH1(p)).length).toBeGreaterThanOrEqual(2);
    // ...but nothing of N reached h3's cable, and nothing of M reached h2's.
    expect(h3Wire.filter((p) => isVxlan(p, net.n.vni)).map((p) => p.raw)).toEqual([]);
    expect(h2Wire.filter((p) => isVxlan(p, net.m.vni)).map((p) => p.raw)).toEqual([]);
  });

  it('carries a flat provider network across 2 hosts, untagged on the physical link', async () => {
    const netF = await api.createNetwork('net-f', { 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' });
    await api.createSubnet(netF, '10.70.0.0/24');
    const f1 = await addPort('f1', netF, 'h1', '10.70.0.11');
    const f2 = await addPort('f2', netF, 'h2', '10.70.0.12');
    await settled(['f1', 'f2']);
    // pn1 is the Linux bridge behind every br-eth1; capture on h2's cable with a filter that matches
    // tagged frames as well (`ether host` looks only at the addresses).
    const wire = await lab.capture({ netns: lab.underlay.netns!, iface: 'pn1-h2', filter: `ether host ${f1.mac}`, durationMs: 5000 });
    expect(await f1.ping(f2.ip, { count: 3 })).toBe(true);
    const [frames] = await finish(wire);
    const requests = frames.filter((p) => p.ethSrc === f1.mac && p.summary.includes(`${f1.ip} > ${f2.ip}: ICMP echo request`));
    const replies = frames.filter((p) => p.ethDst === f1.mac && p.summary.includes(`${f2.ip} > ${f1.ip}: ICMP echo reply`));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const p of [...requests, ...replies]) expect(p.ethertype, p.raw).toBe('IPv4');
    expect(frames.filter((p) => p.ethertype === '802.1Q' || /\bvlan \d+/.test(p.raw)).map((p) => p.raw)).toEqual([]);
    expect(ctl.output).not.toMatch(/"level":(50|60)/);
  });
});

// tcpdump prints a VXLAN datagram's inner frame on a line of its own, which lab.capture() does not keep, so the
// inner frame is matched in BPF: outer IPv4 without options, UDP payload = 8-byte VXLAN header + inner Ethernet.
const VXLAN_INNER_ARP = 'udp dst port 4789 and udp[28:2] = 0x0806';
const VXLAN_INNER_IPV4 = 'udp dst port 4789 and udp[28:2] = 0x0800';

/**
 * Ends captures and returns what they saw. A packet still in tcpdump's kernel ring when it is interrupted
 * is lost, so give the ring time to hand over the last packets first.
 */
async function finish(...captures: Capture[]): Promise<CapturedPacket[][]> {
  await new Promise((r) => setTimeout(r, 1500));
  for (const c of captures) c.stop();
  return Promise.all(captures.map((c) => c.done));
}

/** A VXLAN datagram with this VNI as tcpdump decodes UDP port 4789. */
function isVxlan(p: CapturedPacket, vni: number): boolean {
  return new RegExp(`VXLAN, flags \\[I\\] \\(0x08\\), vni ${vni}\\b`).test(p.raw);
}

async function neighbourMac(from: LabVm, ip: string): Promise<string | undefined> {
  const out = await from.exec('ip', 'neigh', 'show', ip, 'dev', 'eth0');
  return /lladdr ([0-9a-f:]{17})/.exec(out)?.[1];
}

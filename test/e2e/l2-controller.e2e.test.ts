import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { interfaceNameFor } from '../../src/topology/model.js';
import { echoRoundTrip, startEchoServer } from '../lab/tcp-echo.js';
import { waitFor, type ApiClient, type ApiPort } from './api-client.js';
import { startControllerLab, type ControllerLab } from './controller-lab.js';
import type { ControllerProcess } from './controller-process.js';

// The controller as the README runs it (`neutrino run`, its own process), 3 lab hosts pointed at it,
// everything created through the Neutron API, real packets between VM namespaces.
const HOSTS = ['h1', 'h2', 'h3'];

describe('controller end to end: API -> flows -> packets on 3 OVS hosts', () => {
  let lab: Lab;
  let ctl: ControllerProcess;
  let api: ApiClient;
  let env: ControllerLab;
  let netA: string;
  const ports: Record<string, ApiPort> = {};
  const vms: Record<string, LabVm> = {};

  async function plug(name: string, host: string, port: ApiPort): Promise<LabVm> {
    const vm = await lab.addVm(host, { name, iface: interfaceNameFor(port.id), mac: port.mac_address, ip: `${port.fixed_ips[0].ip_address}/24`, portId: port.id });
    vms[name] = vm;
    return vm;
  }

  async function addPort(name: string, networkId: string, host: string, ip?: string): Promise<LabVm> {
    ports[name] = await api.createPort(networkId, host, ip);
    return plug(name, host, ports[name]);
  }

  const isActive = (name: string) => async (): Promise<boolean> => (await api.port(ports[name].id)).status === 'ACTIVE';

  beforeAll(async () => {
    env = await startControllerLab({ name: 'e2e', hosts: HOSTS, providerBridges: ['br-eth1'], bridgeMappings: { physnet1: 'br-eth1' } });
    ({ ctl, api, lab } = env);
    netA = await api.createNetwork('net-a');
    await api.createSubnet(netA, '10.0.0.0/24');
    await addPort('a1', netA, 'h1', '10.0.0.11');
    await addPort('a2', netA, 'h2', '10.0.0.12');
    await addPort('a3', netA, 'h3', '10.0.0.13');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('marks plugged ports ACTIVE; a bound port without its interface stays DOWN', async () => {
    const unplugged = await api.createPort(netA, 'h1');
    for (const name of ['a1', 'a2', 'a3']) await waitFor(`${name} ACTIVE`, isActive(name));
    expect((await api.port(unplugged.id)).status).toBe('DOWN');
  });

  it('pings across all three hosts and carries TCP', async () => {
    expect(await vms.a1.ping(vms.a2.ip, { count: 2 })).toBe(true);
    expect(await vms.a1.ping(vms.a3.ip, { count: 2 })).toBe(true);
    expect(await vms.a3.ping(vms.a2.ip, { count: 2 })).toBe(true);
    await startEchoServer(vms.a3, 7000);
    expect(await echoRoundTrip(vms.a1, vms.a3.ip, 7000, 200_000)).toBe(200_000);
  });

  it('keeps two vxlan networks with the same CIDR apart', async () => {
    const netB = await api.createNetwork('net-b');
    await api.createSubnet(netB, '10.0.0.0/24');
    // b2 takes a2's address in the other network: only the network tells them apart.
    await addPort('b1', netB, 'h1', '10.0.0.21');
    await addPort('b2', netB, 'h2', '10.0.0.12');
    for (const name of ['b1', 'b2']) await waitFor(`${name} ACTIVE`, isActive(name));
    const onA2 = await lab.capture({ netns: vms.a2.netns, iface: 'eth0', durationMs: 2500 });
    expect(await vms.b1.ping('10.0.0.12', { count: 2 })).toBe(true);
    expect(await neighbourMac(vms.b1, '10.0.0.12')).toBe(vms.b2.mac);
    expect((await onA2.done).filter((p) => p.ethSrc === vms.b1.mac || p.ethDst === vms.b1.mac)).toEqual([]);
    // And network A still reaches its own 10.0.0.12.
    expect(await vms.a1.ping('10.0.0.12', { count: 1 })).toBe(true);
    expect(await neighbourMac(vms.a1, '10.0.0.12')).toBe(vms.a2.mac);
  });

  it('carries a provider VLAN network over the mapped bridge, tagged with its segment on the wire', async () => {
    const netV = await api.createNetwork('net-v', {
      'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 300,
    });
    await api.createSubnet(netV, '10.3.0.0/24');
    await addPort('v1', netV, 'h1', '10.3.0.11');
    await addPort('v3', netV, 'h3', '10.3.0.13');
    for (const name of ['v1', 'v3']) await waitFor(`${name} ACTIVE`, isActive(name));
    // The provider segment is the lab's Linux bridge pn1; the frames on h3's cable carry VLAN 300.
    const wire = await lab.capture({ netns: lab.underlay.netns!, iface: 'pn1-h3', filter: 'vlan 300 and icmp', durationMs: 2500 });
    expect(await vms.v1.ping(vms.v3.ip, { count: 2 })).toBe(true);
    expect((await wire.done).length).toBeGreaterThan(0);
  });

  it('sends only the flows a new port owns (plus its network\'s flood flows)', async () => {
    const bridges = HOSTS.flatMap((h) => ['br-int', 'br-tun'].map((b) => [h, b] as const));
    const before = new Map<string, Set<string>>(
      await Promise.all(bridges.map(async ([h, b]) => [`${h}/${b}`, new Set(await api.desiredFlows(h, b))] as const)),
    );
    const modsBefore = await flowModsByBridge();
    await addPort('a4', netA, 'h1', '10.0.0.14');
    await waitFor('a4 ACTIVE', isActive('a4'));
    await waitFor('a4 reachable', () => vms.a4.ping(vms.a2.ip, { count: 1 }));
    await waitFor('every bridge in sync', async () => (await Promise.all(bridges.map(([h, b]) => api.flows(h, b)))).every((f) => !f.diff.length));
    const modsAfter = await flowModsByBridge();
    const portCookie = cookieObjectHex(ports.a4.id);
    const netCookie = cookieObjectHex(netA);
    let total = 0;
    for (const [h, b] of bridges) {
      const key = `${h}/${b}`;
      const after = new Set(await api.desiredFlows(h, b));
      const added = [...after].filter((l) => !before.get(key)!.has(l));
      const removed = [...before.get(key)!].filter((l) => !after.has(l));
      // Every new flow is the port's own, or a flood flow of its network that now lists the port's host or ofport.
      for (const line of added) expect(cookieOf(line) === portCookie || cookieOf(line) === netCookie, `${key}: ${line}`).toBe(true);
      for (const line of removed) expect(cookieOf(line), `${key}: ${line}`).toBe(netCookie);
      const sent = (modsAfter.get(key) ?? 0) - (modsBefore.get(key) ?? 0);
      // One ADD per new or changed flow, nothing else.
      expect(sent, key).toBe(added.length);
      total += sent;
    }
    console.log(`one more port: ${total} flow-mods over ${bridges.length} bridges`);
    expect(total).toBeGreaterThan(0);
  });

  it('marks an unplugged port DOWN and removes its flows everywhere', async () => {
    const cookie = cookieObjectHex(ports.a4.id);
    const owned = async (): Promise<number> => {
      const all = await Promise.all(HOSTS.flatMap((h) => ['br-int', 'br-tun'].map((b) => api.desiredFlows(h, b))));
      return all.flat().filter((l) => cookieOf(l) === cookie).length;
    };
    expect(await owned()).toBeGreaterThan(0);
    await lab.removeVm('a4');
    await waitFor('a4 DOWN', async () => (await api.port(ports.a4.id)).status === 'DOWN');
    await waitFor('a4 flows gone', async () => (await owned()) === 0);
    for (const h of HOSTS) {
      const installed = await lab.host(h).dumpFlows('br-int');
      expect(installed.filter((l) => cookieOf(l) === cookie), h).toEqual([]);
    }
  });

  it('moves a port to another host (same MAC and IP): reachable again within 1 s', async () => {
    const port = ports.a3;
    await lab.removeVm('a3');
    const moved = await lab.addVm('h2', { name: 'a3m', iface: interfaceNameFor(port.id), mac: port.mac_address, ip: `${port.fixed_ips[0].ip_address}/24`, portId: port.id });
    const started = performance.now();
    await api.bindPort(port.id, 'h2');
    let answered = false;
    while (!answered && performance.now() - started < 5000) {
      answered = (await vms.a1.run(['ping', '-n', '-c', '1', '-W', '0.05', moved.ip], { allowFailure: true })).code === 0;
    }
    const ms = performance.now() - started;
    console.log(`port move h3 -> h2: reachable after ${ms.toFixed(0)} ms`);
    expect(answered).toBe(true);
    expect(ms).toBeLessThan(1000);
    vms.a3 = moved;
    await waitFor('moved port ACTIVE', isActive('a3'));
  });

  it('survives a controller SIGKILL + restart during a ping: no loss, zero flow-mods on reconnect', async () => {
    // -c, not -w: with a deadline the last request's reply may be cut off and counted lost.
    const ping = vms.a1.run(['ping', '-n', '-i', '0.05', '-c', '160', vms.a2.ip], { allowFailure: true, timeoutMs: 30_000 });
    let pingOver = false;
    void ping.then(() => (pingOver = true));
    await new Promise((r) => setTimeout(r, 1000));
    await ctl.kill();
    await new Promise((r) => setTimeout(r, 500));
    await ctl.start();
    await waitFor('all 12 bridges (br-int, br-tun, br-ex, br-eth1 per host) attached again', async () => {
      const s = await api.switches();
      return s.length === 12 && s.every((x) => x.attached && x.reconciles > 0);
    }, 15_000);
    // The reconnect happened while the ping was still running.
    expect(pingOver).toBe(false);
    const switches = await api.switches();
    const out = (await ping).stdout;
    const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
    console.log(`restart: ${m?.[0]}; flow-mods after reconnect: ${switches.map((s) => `${s.host}/${s.bridge}=${s.flow_mods}`).join(' ')}`);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(160);
    expect(Number(m![2])).toBe(Number(m![1]));
    expect(switches.reduce((n, s) => n + s.flow_mods, 0)).toBe(0);
    for (const name of ['a1', 'a2', 'a3']) expect((await api.port(ports[name].id)).status).toBe('ACTIVE');
    expect(await vms.a1.ping(vms.a3.ip, { count: 1 })).toBe(true);
    // Nothing failed quietly on the way (the controller logs at warn level and above here).
    expect(ctl.output).not.toMatch(/"level":(50|60)/);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await ctl.stop()).toBe(0);
  });

  async function flowModsByBridge(): Promise<Map<string, number>> {
    return new Map((await api.switches()).map((s) => [`${s.host}/${s.bridge}`, s.flow_mods]));
  }
});

async function neighbourMac(from: LabVm, ip: string): Promise<string | undefined> {
  const out = await from.exec('ip', 'neigh', 'show', ip, 'dev', 'eth0');
  return /lladdr ([0-9a-f:]{17})/.exec(out)?.[1];
}

/** The 48-bit object part of the cookie the apps give an id's flows (a UUID's first 12 hex digits). */
function cookieObjectHex(id: string): string {
  return id.replace(/-/g, '').slice(0, 12).replace(/^0+/, '');
}

function cookieOf(line: string): string {
  const hex = /cookie=0x([0-9a-f]+)/.exec(line)?.[1] ?? '';
  return hex.padStart(16, '0').slice(4).replace(/^0+/, '');
}

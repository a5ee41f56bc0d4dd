import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type CapturedPacket, type LabVm } from '../../src/lab/index.js';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { flowToText } from '../../src/apps/flow-text.js';
import { createSnapshot, type NetworkInfo, type TopologySnapshot } from '../../src/topology/model.js';
import { addFlowTunnelPort, addVmPort, liveHostInfo, type VmPort } from './lab-topology.js';

// Real packets through the computed flows: 3 netdev hosts, two vxlan networks with the same CIDR,
// a vlan network (physnet1 -> br-provider-one: 15 characters, so its patch ports carry Neutron's hashed names) and a flat one (external -> br-ex) across h1 and h2.
const NET_A: NetworkInfo = { id: '0a0a0a0a-0000-4000-8000-00000000000a', type: 'vxlan', segmentationId: 100 };
const NET_B: NetworkInfo = { id: '0b0b0b0b-0000-4000-8000-00000000000b', type: 'vxlan', segmentationId: 200 };
const NET_V: NetworkInfo = { id: '0c0c0c0c-0000-4000-8000-00000000000c', type: 'vlan', physnet: 'physnet1', segmentationId: 300 };
const NET_F: NetworkInfo = { id: '0d0d0d0d-0000-4000-8000-00000000000d', type: 'flat', physnet: 'external' };
const NET_L: NetworkInfo = { id: '0e0e0e0e-0000-4000-8000-00000000000e', type: 'local' };
const PROVIDER = 'br-provider-one';
const MAPPINGS = { physnet1: PROVIDER, external: 'br-ex' };
const HOSTS = ['h1', 'h2', 'h3'];
// Different local VLANs per host, so a missing translation would show up as lost packets.
const LOCAL_VLAN: Record<string, Record<string, number>> = {
  h1: { [NET_A.id]: 1, [NET_B.id]: 2, [NET_V.id]: 3, [NET_F.id]: 4, [NET_L.id]: 5 },
  h2: { [NET_A.id]: 14, [NET_B.id]: 13, [NET_V.id]: 12, [NET_F.id]: 11, [NET_L.id]: 10 },
  h3: { [NET_A.id]: 7 },
};
// VXLAN payload = inner Ethernet frame at UDP offset 16; its ethertype sits 12 bytes in.
const INNER_ARP = 'udp port 4789 and udp[28:2] = 0x0806';

describe('L2 apps on real OVS: 3 hosts, vxlan + vlan + flat + local', () => {
  let lab: Lab;
  const vms: Record<string, VmPort> = {};
  const vm = (name: string): LabVm => vms[name].vm;

  beforeAll(async () => {
    lab = await Lab.start({ name: 'l2apps', hosts: HOSTS, providerBridges: [PROVIDER] });
    await Promise.all(HOSTS.map((h) => addFlowTunnelPort(lab.host(h))));
    const plan: Array<[string, string, NetworkInfo, string, string]> = [
      ['a1', 'h1', NET_A, 'fa:16:3e:0a:00:11', '10.0.0.11/24'],
      ['a2', 'h2', NET_A, 'fa:16:3e:0a:00:12', '10.0.0.12/24'],
      ['a3', 'h3', NET_A, 'fa:16:3e:0a:00:13', '10.0.0.13/24'],
      // Network B reuses A's addresses: only the network keeps them apart.
      ['b1', 'h1', NET_B, 'fa:16:3e:0b:00:11', '10.0.0.11/24'],
      ['b2', 'h2', NET_B, 'fa:16:3e:0b:00:12', '10.0.0.12/24'],
      ['v1', 'h1', NET_V, 'fa:16:3e:0c:00:11', '10.3.0.11/24'],
      ['v2', 'h2', NET_V, 'fa:16:3e:0c:00:12', '10.3.0.12/24'],
      ['f1', 'h1', NET_F, 'fa:16:3e:0d:00:11', '10.4.0.11/24'],
      ['f2', 'h2', NET_F, 'fa:16:3e:0d:00:12', '10.4.0.12/24'],
      ['l1', 'h1', NET_L, 'fa:16:3e:0e:00:11', '10.5.0.11/24'],
      ['l2', 'h1', NET_L, 'fa:16:3e:0e:00:12', '10.5.0.12/24'],
      ['l3', 'h2', NET_L, 'fa:16:3e:0e:00:13', '10.5.0.13/24'],
      // Plugged into br-int, but the port is not bound: it must get nothing.
      ['u1', 'h1', NET_A, 'fa:16:3e:0a:00:21', '10.0.0.21/24'],
    ];
    for (const [name, host, network, mac, ip] of plan) {
      const id = `${name}${name}${name}${name}-1111-4111-8111-${mac.replace(/:/g, '')}`;
      vms[name] = await addVmPort(lab, host, { id, network, name, mac, ip });
    }
    const { host: _bound, ...unbound } = vms.u1.port;
    vms.u1.port = unbound;
    const snap = await labSnapshot();
    for (const h of HOSTS) {
      for (const [bridge, flows] of l2HostFlows(snap, h)) await lab.host(h).addFlows(bridge, flows.map(flowToText));
    }
  });
  afterAll(async () => {
    await lab?.stop();
  });

  async function labSnapshot(): Promise<TopologySnapshot> {
    const hosts = await Promise.all(HOSTS.map((h) =>
      liveHostInfo(lab.host(h), lab.tunnelIp(h), MAPPINGS, ['br-int', 'br-tun', PROVIDER, 'br-ex'])));
    const localVlans = Object.entries(LOCAL_VLAN).flatMap(([host, m]) => Object.entries(m).map(([networkId, vlan]) => ({ host, networkId, vlan })));
    return createSnapshot({ hosts, networks: [NET_A, NET_B, NET_V, NET_F, NET_L], ports: Object.values(vms).map((v) => v.port), localVlans });
  }

  const capture = (host: string, filter: string, durationMs = 4000): ReturnType<Lab['capture']> =>
    lab.capture({ netns: lab.underlay.netns!, iface: lab.underlay.hostPort(host), filter, durationMs });

  async function neighbourMac(from: LabVm, ip: string): Promise<string | undefined> {
    const out = await from.exec('ip', 'neigh', 'show', ip, 'dev', 'eth0');
    return /lladdr ([0-9a-f:]{17})/.exec(out)?.[1];
  }

  it('pings between VMs of one vxlan network on all three hosts', async () => {
    expect(await vm('a1').ping(vm('a2').ip, { count: 2 })).toBe(true);
    expect(await vm('a1').ping(vm('a3').ip, { count: 2 })).toBe(true);
    expect(await vm('a3').ping(vm('a2').ip, { count: 2 })).toBe(true);
  });

  it('gives an interface whose port is not bound nothing: default drop', async () => {
    expect(await vm('u1').ping(vm('a1').ip, { count: 1 })).toBe(false);
    expect(await vm('a1').ping(vm('u1').ip, { count: 1 })).toBe(false);
  });

  it('keeps two vxlan networks with the same CIDR apart', async () => {
    const onA2 = await lab.capture({ netns: vm('a2').netns, iface: 'eth0', durationMs: 3000 });
    expect(await vm('b1').ping('10.0.0.12', { count: 2 })).toBe(true);
    const seenByA2 = await onA2.done;
    expect(await neighbourMac(vm('b1'), '10.0.0.12')).toBe(vm('b2').mac);
    expect(seenByA2.filter((p) => p.ethSrc === vm('b1').mac || p.ethDst === vm('b1').mac)).toEqual([]);
    expect(await neighbourMac(vm('a1'), '10.0.0.12')).toBe(vm('a2').mac);
  });

  it('answers ARP on the requesting host: the reply arrives, the underlay carries no ARP', async () => {
    for (const name of ['a1', 'a2']) await vm(name).exec('ip', 'neigh', 'flush', 'dev', 'eth0');
    const underlay = await capture('h1', INNER_ARP, 3000);
    expect(await vm('a1').ping(vm('a2').ip, { count: 2 })).toBe(true);
    expect(await underlay.done).toEqual([]);
    expect(await neighbourMac(vm('a1'), vm('a2').ip)).toBe(vm('a2').mac);
  });

  it('floods a broadcast of network B only to hosts with ports in B', async () => {
    const [toH2, toH3] = await Promise.all([capture('h2', INNER_ARP, 4000), capture('h3', 'udp port 4789', 4000)]);
    // Nobody has 10.0.0.99: the kernel broadcasts ARP requests, which the responder cannot answer.
    expect(await vm('b1').ping('10.0.0.99', { count: 1, timeoutS: 2 })).toBe(false);
    const [h2Packets, h3Packets] = await Promise.all([toH2.done, toH3.done]);
    expect(h2Packets.length).toBeGreaterThan(0);
    expect(h2Packets.every((p) => /^192\.0\.2\.11\.\d+ > 192\.0\.2\.12\.4789: VXLAN.*vni 200$/.test(p.summary))).toBe(true);
    expect(h3Packets).toEqual([]);
  });

  it('keeps a local network within its host', async () => {
    expect(await vm('l1').ping(vm('l2').ip, { count: 2 })).toBe(true);
    expect(await vm('l1').ping(vm('l3').ip, { count: 1 })).toBe(false);
  });

  it('carries a vlan network tagged with its segmentation id on the provider link', async () => {
    const wire = await lab.capture({ netns: lab.underlay.netns!, iface: 'pn1-h1', filter: 'icmp or (vlan and icmp)', durationMs: 3000 });
    expect(await vm('v1').ping(vm('v2').ip, { count: 2 })).toBe(true);
    const packets = await wire.done;
    expect(packets.length).toBeGreaterThan(0);
    expect(packets.every((p: CapturedPacket) => p.ethertype === '802.1Q' && /vlan 300\b/.test(p.summary))).toBe(true);
  });

  it('carries a flat network untagged on the external link', async () => {
    const wire = await lab.capture({ netns: lab.underlay.netns!, iface: 'ex-h1', filter: 'icmp or (vlan and icmp)', durationMs: 3000 });
    expect(await vm('f1').ping(vm('f2').ip, { count: 2 })).toBe(true);
    const packets = await wire.done;
    expect(packets.length).toBeGreaterThan(0);
    expect(packets.every((p: CapturedPacket) => p.ethertype === 'IPv4' && /^10\.4\.0\.1[12] > 10\.4\.0\.1[12]: ICMP/.test(p.summary))).toBe(true);
  });
});

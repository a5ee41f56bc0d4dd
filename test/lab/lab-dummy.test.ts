import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type DummyPort } from '../../src/lab/index.js';
import { NOTHING_LEFT, leftoversOf } from './leftovers.js';

const ICMP_VM1_TO_VM2 =
  'eth(src=fa:16:3e:00:00:11,dst=fa:16:3e:00:00:12),eth_type(0x0800),' +
  'ipv4(src=10.0.0.11,dst=10.0.0.12,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)';

/** Number of packet records in a pcap file (24-byte global header, 16-byte record headers). */
function pcapPacketCount(file: string): number {
  const buf = readFileSync(file);
  let n = 0;
  for (let off = 24; off + 16 <= buf.length; off += 16 + buf.readUInt32LE(off + 8)) n++;
  return n;
}

describe('hermetic dummy-datapath lab', () => {
  let lab: Lab;
  let vm1: DummyPort;
  let vm2: DummyPort;

  async function programFlows(host: string, vm: DummyPort): Promise<void> {
    const h = lab.host(host);
    await h.addFlows('br-int', [
      `priority=10,in_port=${vm.name},actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:patch-tun`,
      `priority=10,in_port=patch-tun,dl_vlan=1,actions=pop_vlan,output:${vm.name}`,
    ]);
    await h.addFlows('br-tun', [
      'priority=1,in_port=patch-int,dl_vlan=1,actions=pop_vlan,set_field:0x64->tun_id,output:vxlan-peer',
      'priority=1,in_port=vxlan-peer,tun_id=0x64,actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:patch-int',
    ]);
  }

  /** Injects vm1 -> vm2 ICMP on d2 and reports whether it came out of vm2 on d3. */
  async function injectedPacketArrives(): Promise<boolean> {
    const before = pcapPacketCount(vm2.txPcap);
    await lab.host('d2').appctl('netdev-dummy/receive', 'vm1', `in_port(${vm1.ofport}),${ICMP_VM1_TO_VM2}`);
    const deadline = Date.now() + 2000;
    while (pcapPacketCount(vm2.txPcap) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return pcapPacketCount(vm2.txPcap) === before + 1;
  }

  beforeAll(async () => {
    lab = await Lab.start({ name: 'dummy', hosts: ['d1', 'd2', 'd3'], datapath: 'dummy' });
    // d2 and d3 are spokes: their tunnel traffic crosses the hub d1's br-phy.
    vm1 = await lab.addDummyPort('d2', 'br-int', 'vm1', 10);
    vm2 = await lab.addDummyPort('d3', 'br-int', 'vm2', 10);
    for (const [host, peer] of [['d2', 'd3'], ['d3', 'd2']] as const) {
      await lab.host(host).vsctl('add-port', 'br-tun', 'vxlan-peer', '--', 'set', 'interface', 'vxlan-peer',
        'type=vxlan', 'ofport_request=2', `options:remote_ip=${lab.tunnelIp(peer)}`, 'options:key=flow');
      await programFlows(host, host === 'd2' ? vm1 : vm2);
    }
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('creates no kernel devices in the host namespaces', async () => {
    const links = await lab.host('d2').exec('ip', '-o', 'link');
    expect(links.trim().split('\n')).toHaveLength(1); // only lo
    expect(lab.underlay.netns).toBeUndefined();
  });

  it('traces a packet from d2 through br-tun into a VXLAN tunnel towards d3', async () => {
    const trace = await lab.host('d2').appctl('ofproto/trace', 'br-int',
      'in_port=vm1,icmp,dl_src=fa:16:3e:00:00:11,dl_dst=fa:16:3e:00:00:12,nw_src=10.0.0.11,nw_dst=10.0.0.12');
    expect(trace).toContain('tunneling to 192.0.2.13 via br-phy');
    expect(trace).toMatch(/Datapath actions: tnl_push\(.*ipv4\(src=192\.0\.2\.12,dst=192\.0\.2\.13.*vxlan\(flags=0x8000000,vni=0x64\)/);
  });

  it('delivers an injected packet from d2 to d3 across the star underlay (d1 is the hub)', async () => {
    expect(await injectedPacketArrives()).toBe(true);
  });

  it('restores tunnel endpoint and cables after vswitchd restarts; flows must be re-added', async () => {
    await lab.restartVswitchd('d1'); // the hub: the spokes' cables must reconnect
    await lab.restartVswitchd('d2'); // a spoke: address, route and neighbours live only in vswitchd memory
    expect(await lab.host('d2').dumpFlows('br-tun')).toEqual([]);
    expect(await injectedPacketArrives()).toBe(false);
    await programFlows('d2', vm1);
    expect(await lab.host('d2').appctl('tnl/neigh/show')).toContain('192.0.2.13');
    expect(await injectedPacketArrives()).toBe(true);
  });

  it('cleans up completely', async () => {
    const id = lab.id;
    await lab.stop();
    expect(leftoversOf(id)).toEqual(NOTHING_LEFT);
  });
});

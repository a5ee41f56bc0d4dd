import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { isRunning } from './leftovers.js';
import { echoRoundTrip, startEchoServer } from './tcp-echo.js';

// Neutron-agent style flows, written by hand: br-int maps the VM port to local VLAN 1, br-tun maps
// VLAN 1 to VNI 100 on the vxlan port towards the peer.
function intFlows(vm: LabVm): string[] {
  return [
    'table=0,priority=0,actions=drop',
    `table=0,priority=10,in_port=${vm.iface},actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:patch-tun`,
    `table=0,priority=10,in_port=patch-tun,dl_vlan=1,actions=pop_vlan,output:${vm.iface}`,
  ];
}
function tunFlows(vxlanPort: string): string[] {
  return [
    'table=0,priority=0,actions=drop',
    'table=0,priority=1,in_port=patch-int,actions=goto_table:2',
    `table=0,priority=1,in_port=${vxlanPort},actions=goto_table:4`,
    'table=2,priority=1,dl_vlan=1,actions=pop_vlan,set_field:0x64->tun_id,output:' + vxlanPort,
    'table=4,priority=1,tun_id=0x64,actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:patch-int',
  ];
}

describe('VXLAN between two netdev hosts with hand-written flows', () => {
  let lab: Lab;
  let vm1: LabVm;
  let vm2: LabVm;
  let echoServerPid: number;

  async function programHost(host: 'h1' | 'h2', vm: LabVm): Promise<void> {
    const h = lab.host(host);
    await h.addFlows('br-int', intFlows(vm));
    await h.addFlows('br-tun', tunFlows(host === 'h1' ? 'vxlan-h2' : 'vxlan-h1'));
  }

  beforeAll(async () => {
    lab = await Lab.start({ name: 'vxlan', hosts: ['h1', 'h2'] });
    vm1 = await lab.addVm('h1', { name: 'vm1', mac: 'fa:16:3e:00:00:11', ip: '10.0.0.11/24' });
    vm2 = await lab.addVm('h2', { name: 'vm2', mac: 'fa:16:3e:00:00:12', ip: '10.0.0.12/24', iface: 'tap0123abcd-ef' });
    for (const [host, peer] of [['h1', 'h2'], ['h2', 'h1']] as const) {
      await lab.host(host).vsctl('add-port', 'br-tun', `vxlan-${peer}`, '--', 'set', 'interface', `vxlan-${peer}`,
        'type=vxlan', `options:remote_ip=${lab.tunnelIp(peer)}`, 'options:key=flow');
    }
    await programHost('h1', vm1);
    await programHost('h2', vm2);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('plugs VMs into br-int with Neutron external_ids and MTU 1450', async () => {
    expect(vm2.ofport).toBeGreaterThan(0);
    const ids = await lab.host('h2').vsctl('get', 'interface', 'tap0123abcd-ef', 'external_ids');
    expect(ids).toContain('attached-mac="fa:16:3e:00:00:12"');
    expect(ids).toContain('iface-id=vm2');
    expect(await vm2.exec('ip', '-o', 'link', 'show', 'eth0')).toMatch(/mtu 1450 .*link\/ether fa:16:3e:00:00:12/);
  });

  it('pings vm2 from vm1 across br-tun, and the underlay carries VXLAN VNI 100', async () => {
    const cap = await lab.capture({ netns: lab.underlay.netns!, iface: lab.underlay.hostPort('h1'), filter: 'udp port 4789', count: 2, durationMs: 8000 });
    expect(await vm1.ping(vm2.ip)).toBe(true);
    const packets = await cap.done;
    expect(packets.length).toBe(2);
    expect(packets[0].ethertype).toBe('IPv4');
    expect(packets[0].summary).toMatch(/^192\.0\.2\.1[12]\.\d+ > 192\.0\.2\.1[12]\.4789: VXLAN.*vni 100/);
    // The inner frame tcpdump prints under the VXLAN line belongs to that packet.
    expect(packets[0].inner.join(' ')).toMatch(/^fa:16:3e:00:00:1[12] > [0-9a-f:]{17}, ethertype (ARP|IPv4)/);
  });

  it('carries TCP (100 kB echo) between the VMs', async () => {
    echoServerPid = await startEchoServer(vm2, 8080);
    expect(await echoRoundTrip(vm1, vm2.ip, 8080, 100_000)).toBe(100_000);
  });

  it('does not forward without flows: a vswitchd restart loses them, re-adding restores traffic', async () => {
    const h2 = lab.host('h2');
    const before = h2.pidOf('ovs-vswitchd');
    await lab.restartVswitchd('h2');
    expect(h2.pidOf('ovs-vswitchd')).not.toBe(before);
    expect(await h2.dumpFlows('br-tun')).toEqual([]);
    expect(await vm1.ping(vm2.ip, { count: 2 })).toBe(false);
    await programHost('h2', vm2);
    expect(await vm1.ping(vm2.ip)).toBe(true);
  });

  it('removes a VM and plugs a new one in under the same tap name (stale port replaced)', async () => {
    const h2 = lab.host('h2');
    await lab.removeVm('vm2');
    expect(isRunning(echoServerPid)).toBe(false); // processes inside the VM went with it
    expect(await h2.vsctl('list-ports', 'br-int')).not.toContain(vm2.iface);
    expect(await vm1.ping(vm2.ip, { count: 1 })).toBe(false);
    vm2 = await lab.addVm('h2', { name: 'vm2', mac: 'fa:16:3e:00:00:12', ip: '10.0.0.12/24', iface: 'tap0123abcd-ef' });
    await programHost('h2', vm2);
    expect(await vm1.ping(vm2.ip)).toBe(true);
  });
});

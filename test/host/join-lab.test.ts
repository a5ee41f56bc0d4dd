import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { runJoinCli } from './cli-run.js';
import { configSnapshot, controllers, getColumn, listPorts } from './ovs-readback.js';

const CONTROLLER = 'tcp:127.0.0.1:6653';

/**
 * `neutrino join` on lab hosts, found only through OVS_RUNDIR as on a host with a non-default OVS.
 * The lab already built the bridges, so this is adoption; the VXLAN port it adds must carry traffic.
 */
describe('join on lab hosts (userspace datapath)', () => {
  let lab: Lab;
  let vm1: LabVm;
  let vm2: LabVm;

  const joinArgs = (host: string): string[] => [
    '--name', host, '--tunnel-ip', lab.tunnelIp(host), '--controller', CONTROLLER,
    '--bridge-mapping', 'physnet1:br-ex,physnet2:br-eth1', '--datapath-type', 'netdev', '--no-register',
  ];
  const joinViaRundir = async (host: string) => {
    vi.stubEnv('OVS_RUNDIR', lab.host(host).runDir);
    try {
      return await runJoinCli(joinArgs(host));
    } finally {
      vi.unstubAllEnvs();
    }
  };

  beforeAll(async () => {
    lab = await Lab.start({ name: 'join', hosts: ['h1', 'h2'], providerBridges: ['br-eth1'] });
    vm1 = await lab.addVm('h1', { name: 'vm1', mac: 'fa:16:3e:00:00:11', ip: '10.0.0.11/24' });
    vm2 = await lab.addVm('h2', { name: 'vm2', mac: 'fa:16:3e:00:00:12', ip: '10.0.0.12/24' });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('adopts the lab bridges: keeps their ports, adds the tunnel port and the controller', async () => {
    for (const host of ['h1', 'h2']) {
      const r = await joinViaRundir(host);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`br-tun: port vxlan-flow added (type=vxlan remote_ip=flow key=flow local_ip=${lab.tunnelIp(host)})`);
      expect(r.out).toContain('registration: skipped\n');
    }
    const h1 = lab.host('h1');
    const vsctl = (...args: string[]) => h1.vsctl(...args);
    expect(await listPorts(vsctl, 'br-int')).toEqual(['int-br-eth1', 'int-br-ex', 'patch-tun', 'tapvm1']);
    expect(await listPorts(vsctl, 'br-tun')).toEqual(['patch-int', 'vxlan-flow']);
    expect(await listPorts(vsctl, 'br-ex')).toEqual(['ex-uplink', 'phy-br-ex']);
    expect(await listPorts(vsctl, 'br-eth1')).toEqual(['phy-br-eth1', 'pn1-uplink']);
    for (const br of ['br-int', 'br-tun', 'br-ex', 'br-eth1']) {
      expect(await controllers(vsctl, br)).toEqual([CONTROLLER]);
      expect(await getColumn(vsctl, 'bridge', br, 'other-config:dp-desc')).toBe(`"h1 ${br}"`);
      // The lab's fixed datapath ids survive adoption.
      expect(await getColumn(vsctl, 'bridge', br, 'other-config:datapath-id')).toBe(`"${h1.bridge(br).datapathId}"`);
    }
    // br-phy is not in the bridge mappings: the lab's plumbing stays standalone and controller-less.
    expect(await controllers(vsctl, 'br-phy')).toEqual([]);
    expect(await getColumn(vsctl, 'bridge', 'br-phy', 'fail_mode')).toBe('standalone');
  });

  it('changes nothing when run again', async () => {
    const vsctl = (...args: string[]) => lab.host('h1').vsctl(...args);
    const before = await configSnapshot(vsctl);
    const r = await joinViaRundir('h1');
    expect(r).toEqual({ code: 0, err: '', out: 'OVS already configured, nothing changed\nregistration: skipped\n' });
    expect(await configSnapshot(vsctl)).toBe(before);
  });

  it('gives a flow-based tunnel that carries traffic once flows pick tun_dst', async () => {
    // What the controller will install, reduced to one network (VNI 100) and two hosts.
    for (const [host, vm, peer] of [['h1', vm1, 'h2'], ['h2', vm2, 'h1']] as const) {
      const h = lab.host(host);
      await h.addFlows('br-int', [
        `table=0,priority=10,in_port=${vm.iface},actions=output:patch-tun`,
        `table=0,priority=10,in_port=patch-tun,actions=output:${vm.iface}`,
      ]);
      await h.addFlows('br-tun', [
        `table=0,priority=10,in_port=patch-int,actions=set_field:0x64->tun_id,set_field:${lab.tunnelIp(peer)}->tun_dst,output:vxlan-flow`,
        'table=0,priority=10,in_port=vxlan-flow,tun_id=0x64,actions=output:patch-int',
      ]);
    }
    expect(await vm1.ping(vm2.ip)).toBe(true);
    // Joining again after the controller's flows exist must not flush them.
    await joinViaRundir('h1');
    expect(await vm1.ping(vm2.ip, { count: 1 })).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, datapathId } from '../../src/lab/index.js';
import { NOTHING_LEFT, leftoversOf } from './leftovers.js';

describe('lab with three netdev hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.start({ name: 'bridges', hosts: ['h1', 'h2', 'h3'], providerBridges: ['br-eth1'] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('gives every host its own vswitchd with all bridges, fixed dpids and dp-desc', async () => {
    const pids = new Set(lab.hosts.map((h) => h.pidOf('ovs-vswitchd')));
    expect(pids.size).toBe(3);
    for (const h of lab.hosts) {
      const brs = (await h.vsctl('list-br')).trim().split('\n');
      expect(brs).toEqual(['br-eth1', 'br-ex', 'br-int', 'br-phy', 'br-tun']);
      for (const b of h.bridges) {
        const get = async (col: string): Promise<string> => (await h.vsctl('get', 'bridge', b.name, col)).trim();
        expect(await get('datapath_type')).toBe('netdev');
        expect(await get('fail_mode')).toBe(b.name === 'br-phy' ? 'standalone' : 'secure');
        expect(await get('protocols')).toBe('[OpenFlow10, OpenFlow13, OpenFlow15]');
        expect(await get('other_config:dp-desc')).toBe(`"${h.name} ${b.name}"`);
        const show = await h.ofctl('-O', 'OpenFlow13', 'show', b.name);
        expect(show).toContain(`dpid:${b.datapathId}`);
      }
      expect(h.bridge('br-int').datapathId).toBe(datapathId(h.index, 1));
    }
  });

  it('patches br-tun, br-ex and provider bridges to br-int', async () => {
    const h = lab.host('h2');
    const peer = async (port: string): Promise<string> => (await h.vsctl('get', 'interface', port, 'options:peer')).trim();
    expect(await peer('patch-tun')).toBe('patch-int');
    expect(await peer('patch-int')).toBe('patch-tun');
    expect(await peer('int-br-ex')).toBe('phy-br-ex');
    expect(await peer('phy-br-eth1')).toBe('int-br-eth1');
    expect((await h.vsctl('get', 'interface', 'patch-tun', 'ofport')).trim()).toBe('1');
    expect((await h.vsctl('port-to-br', 'pn1-uplink')).trim()).toBe('br-eth1');
  });

  it('cables br-ex to the external network and provider bridges to their own segment', async () => {
    const normal = 'priority=0,actions=NORMAL'; // the bridges are fail-mode secure: no flows, no traffic
    for (const h of lab.hosts) {
      await h.addFlows('br-ex', normal);
      await h.addFlows('br-eth1', normal);
    }
    expect((await lab.host('h1').vsctl('port-to-br', 'ex-uplink')).trim()).toBe('br-ex');
    const inet = await lab.addExternalHost({ name: 'inet', mac: '02:00:00:00:01:00', ip: '198.51.100.100/24' });
    const onEx = await lab.addVm('h1', { name: 'exvm', mac: 'fa:16:3e:00:01:11', ip: '198.51.100.11/24', bridge: 'br-ex' });
    expect(await onEx.ping(inet.ip)).toBe(true);
    const p2 = await lab.addVm('h2', { name: 'pvm2', mac: 'fa:16:3e:00:02:12', ip: '10.1.0.12/24', bridge: 'br-eth1' });
    const p3 = await lab.addVm('h3', { name: 'pvm3', mac: 'fa:16:3e:00:02:13', ip: '10.1.0.13/24', bridge: 'br-eth1' });
    expect(await p2.ping(p3.ip)).toBe(true);
    // The segments are separate: an address of the external subnet on the provider network stays cut off.
    const stray = await lab.addVm('h3', { name: 'stray', mac: 'fa:16:3e:00:02:99', ip: '198.51.100.99/24', bridge: 'br-eth1' });
    expect(await stray.ping(inet.ip, { count: 2 })).toBe(false);
  });

  it('connects the hosts through the underlay on their br-phy tunnel IPs', async () => {
    expect(lab.tunnelIp('h3')).toBe('192.0.2.13');
    const h1 = lab.host('h1');
    expect(await h1.exec('ip', '-4', '-o', 'addr', 'show', 'dev', 'br-phy')).toContain('192.0.2.11/24');
    for (const ip of ['192.0.2.12', '192.0.2.13']) {
      const r = await h1.run(['ping', '-c', '2', '-i', '0.2', '-W', '1', ip], { allowFailure: true });
      expect(r.stdout).toMatch(/2 received/);
    }
  });

  it('leaves no namespace, process or run dir behind after stop()', async () => {
    const id = lab.id;
    expect(leftoversOf(id).netns).toHaveLength(9); // 3 hosts, the underlay switch, 4 VMs, 1 external host
    await lab.stop();
    expect(leftoversOf(id)).toEqual(NOTHING_LEFT);
  });
});

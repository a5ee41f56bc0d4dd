import { describe, expect, it } from 'vitest';
import { App, makeCookie } from '../../src/config/pipeline.js';
import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { objectIdOf } from '../../src/apps/cookies.js';
import { indexDesired } from '../../src/reconciler/desired-flow.js';
import { createSnapshot } from '../../src/topology/model.js';
import { bare, cookieOfLine, hostLines, linesOf } from './flow-lines.js';
import { F, L, V, X, hosts, ports, snap, unbound, unplugged, x1, x3 } from './mixed-topology.js';
import { makeHost, withLocalVlans } from './snapshot-builder.js';

const HOSTS = ['h1', 'h2', 'h3'];

describe('br-int', () => {
  const h1 = bare(linesOf(snap, 'h1', 'br-int'));

  it('classifies a VM port into its network by in_port and drops everything unclassified', () => {
    expect(h1).toContain('priority=0 actions=drop');
    expect(h1).toContain('priority=10,in_port=10 actions=set_field:0x1->reg6,goto_table:60');
    expect(h1).toContain('priority=10,in_port=20 actions=set_field:0x2->reg6,goto_table:60');
  });

  it('delivers by destination MAC: local ports directly, other hosts\' ports only to the uplink, tagged', () => {
    expect(h1).toContain('table=94, priority=20,reg6=0x1,dl_dst=fa:16:3e:00:00:01 actions=output:10');
    expect(h1).toContain('table=94, priority=20,reg6=0x1,dl_dst=fa:16:3e:99:99:99 actions=output:10');
    expect(h1).toContain('table=94, priority=10,reg6=0x1,dl_dst=fa:16:3e:00:00:03 actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1');
  });

  it('floods within the network only: its local ports plus the uplink', () => {
    expect(h1.filter((l) => l.includes('priority=1,reg6=')).sort()).toEqual([
      'table=94, priority=1,reg6=0x1 actions=output:10,output:11,push_vlan:0x8100,set_field:4097->vlan_vid,output:1',
      'table=94, priority=1,reg6=0x2 actions=output:20,push_vlan:0x8100,set_field:4098->vlan_vid,output:2',
      'table=94, priority=1,reg6=0x3 actions=output:30,push_vlan:0x8100,set_field:4099->vlan_vid,output:3',
      'table=94, priority=1,reg6=0x4 actions=output:40,output:41',
    ]);
  });

  it('takes frames from each uplink in its own encapsulation and strips the VLAN', () => {
    expect(h1).toContain('priority=3,in_port=1,dl_vlan=1 actions=pop_vlan,set_field:0x1->reg6,goto_table:94');
    expect(h1).toContain('priority=3,in_port=2,dl_vlan=200 actions=pop_vlan,set_field:0x2->reg6,goto_table:94');
    expect(h1).toContain('priority=3,in_port=3,vlan_tci=0x0000/0x1fff actions=set_field:0x3->reg6,goto_table:94');
  });

  it('gives unbound and unplugged ports nothing, anywhere', () => {
    for (const h of HOSTS) {
      const all = [...hostLines(snap, h).values()].flat().join('\n');
      expect(all).not.toContain(unbound.mac);
      expect(all).not.toContain(unplugged.mac);
    }
    expect(bare(linesOf(snap, 'h3', 'br-int'))).toEqual([
      'priority=0 actions=drop',
      'table=60, priority=0 actions=goto_table:94',
      'table=94, priority=0 actions=drop',
      'table=24, priority=10,udp,nw_src=0.0.0.0,tp_src=68,tp_dst=67 actions=goto_table:25',
      'table=24, priority=10,icmp6,ipv6_src=:: actions=goto_table:25',
      'table=24, priority=0 actions=drop',
      'table=25, priority=0 actions=drop',
    ]);
  });

  it('keeps a local network on its host: no uplink, no other host\'s ports', () => {
    expect(h1.filter((l) => l.startsWith('table=94') && l.includes('reg6=0x4'))).toEqual([
      'table=94, priority=20,reg6=0x4,dl_dst=fa:16:3e:00:00:1f actions=output:40',
      'table=94, priority=20,reg6=0x4,dl_dst=fa:16:3e:00:00:20 actions=output:41',
      'table=94, priority=1,reg6=0x4 actions=output:40,output:41',
    ]);
    const l3 = ports.find((p) => p.id === 'port-l3')!;
    expect(h1.join('\n')).not.toContain(l3.mac);
    expect(h1.join('\n')).not.toContain(l3.fixedIps[0]);
  });
});

describe('br-tun (vxlan, one flow-based tunnel port)', () => {
  const tun = (h: string): string[] => bare(linesOf(snap, h, 'br-tun'));

  it('maps the VNI to the local VLAN only on hosts that have the network', () => {
    expect(tun('h1')).toContain('table=4, priority=1,tun_id=0x64 actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1');
    expect(tun('h2')).toContain('table=4, priority=1,tun_id=0x64 actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1');
    expect(tun('h3').filter((l) => l.includes('tun_id=0x64'))).toEqual([]);
    expect(tun('h3')).toContain('table=4, priority=0 actions=drop');
  });

  it('sends unicast to the host that has the MAC (static l2pop), with the VNI and tun_dst set per flow', () => {
    expect(tun('h1').filter((l) => l.startsWith('table=20, priority=2'))).toEqual([
      'table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:03 actions=pop_vlan,set_field:0x64->tun_id,set_field:192.0.2.12->tun_dst,output:2',
    ]);
    expect(tun('h2').filter((l) => l.startsWith('table=20, priority=2'))).toHaveLength(3); // x1, x1's AAP MAC, x2
  });

  it('floods only to hosts with ports in the network', () => {
    expect(tun('h1').filter((l) => l.startsWith('table=22, priority=1'))).toEqual([
      'table=22, priority=1,dl_vlan=1 actions=pop_vlan,set_field:0x64->tun_id,set_field:192.0.2.12->tun_dst,output:2',
    ]);
    expect(tun('h2').filter((l) => l.startsWith('table=22, priority=1'))).toEqual([
      'table=22, priority=1,dl_vlan=1 actions=pop_vlan,set_field:0x64->tun_id,set_field:192.0.2.11->tun_dst,output:2',
    ]);
  });

  it('accepts tunnel packets only from known VTEPs', () => {
    expect(tun('h1').filter((l) => l.includes('in_port=2'))).toEqual([
      'priority=1,tun_src=192.0.2.12,in_port=2 actions=goto_table:4',
      'priority=1,tun_src=192.0.2.13,in_port=2 actions=goto_table:4',
    ]);
  });

  it('has no flows without its patch and tunnel ports', () => {
    const bare3 = { ...makeHost(3), ofports: { 'br-int': { 'patch-tun': 1 } } };
    const s = createSnapshot(withLocalVlans([hosts[0], bare3], [X], [x1, { ...x3, host: 'h3' }]));
    expect(linesOf(s, 'h3', 'br-tun')).toEqual([]);
    // and h3's br-int then has no uplink for X: the flood stays local
    expect(bare(linesOf(s, 'h3', 'br-int'))).toContain('table=94, priority=1,reg6=0x1 actions=output:10');
  });
});

describe('provider bridges', () => {
  it('vlan: local VLAN -> provider VLAN on br-eth1 of each host, with its own local VLAN', () => {
    expect(bare(linesOf(snap, 'h1', 'br-eth1'))).toEqual([
      'priority=0 actions=NORMAL',
      'priority=2,in_port=1 actions=drop',
      'priority=4,in_port=1,dl_vlan=2 actions=set_field:4296->vlan_vid,NORMAL',
    ]);
    expect(bare(linesOf(snap, 'h2', 'br-eth1'))).toContain('priority=4,in_port=1,dl_vlan=2 actions=set_field:4296->vlan_vid,NORMAL');
  });

  it('flat: the external physnet goes to br-ex as mapped, untagged', () => {
    expect(bare(linesOf(snap, 'h1', 'br-ex'))).toContain('priority=4,in_port=1,dl_vlan=3 actions=pop_vlan,NORMAL');
    expect(hostLines(snap, 'h2').has('br-ex')).toBe(false);
  });
});

describe('ARP responder (br-int table 60)', () => {
  /** "ip mac" of every answer for network X (local VLAN 1 on h1 and h2). */
  const answers = (h: string): string[] =>
    bare(linesOf(snap, h, 'br-int'))
      .filter((l) => l.includes('arp_op=1') && l.includes('reg6=0x1,'))
      .map((l) => `${/arp_tpa=([\d.]+)/.exec(l)![1]} ${/set_field:([0-9a-f:]{17})->arp_sha/.exec(l)![1]}`)
      .sort();

  it('answers fixed IPs and single-address pairs; not IPv6, prefixes, shared VIPs or inactive ports', () => {
    const expected = ['10.0.0.1 fa:16:3e:00:00:01', '10.0.2.12 fa:16:3e:00:00:02', '10.0.3.13 fa:16:3e:00:00:03', '10.7.7.7 fa:16:3e:00:00:01', '10.9.9.9 fa:16:3e:99:99:99'];
    expect(answers('h1')).toEqual(expected);
    expect(answers('h2')).toEqual(expected);
    expect(answers('h3')).toEqual([]);
  });

  it('turns the request into the reply and sends it back out of the asking port', () => {
    expect(bare(linesOf(snap, 'h2', 'br-int'))).toContain(
      'table=60, priority=20,arp,reg6=0x1,arp_tpa=10.9.9.9,arp_op=1 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],' +
        'set_field:fa:16:3e:99:99:99->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],' +
        'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:fa:16:3e:99:99:99->arp_sha,set_field:10.9.9.9->arp_spa,IN_PORT',
    );
  });

  it('lets the owner\'s own requests (gratuitous ARP, probes) through, on the owner\'s host only', () => {
    const bypass = (h: string): string[] => bare(linesOf(snap, h, 'br-int')).filter((l) => l.includes('priority=21,arp,in_port=10,'));
    expect(bypass('h1')).toContain('table=60, priority=21,arp,in_port=10,arp_tpa=10.9.9.9 actions=goto_table:94');
    expect(bypass('h1')).toHaveLength(3); // 10.0.0.1, 10.9.9.9, 10.7.7.7
    expect(bypass('h2').some((l) => l.includes('10.9.9.9'))).toBe(false);
  });
});

describe('cookies and flow identities', () => {
  it('marks each flow with the app and the port or network that owns it', () => {
    const x1Cookies = (h: string): string[] =>
      [...hostLines(snap, h).values()].flat().filter((l) => cookieOfLine(l).object === objectIdOf(x1.id)).map((l) => l.replace(/^cookie=0x[0-9a-f]+, /, ''));
    expect(x1Cookies('h3')).toEqual([]);
    expect(x1Cookies('h1').length).toBeGreaterThan(0);
    for (const h of HOSTS) {
      for (const line of [...hostLines(snap, h).values()].flat()) {
        // No port here has DHCP or port security: their apps contribute only the host defaults (object 0).
        const { app, object } = cookieOfLine(line);
        if (app === App.PORT_SECURITY) expect(object).toBe(0n);
        else expect([App.LOCAL_SWITCHING, App.TUNNEL, App.ARP_RESPONDER]).toContain(app);
      }
    }
    const owned = [...l2HostFlows(snap, 'h2').values()].flat().filter((f) => f.cookie === makeCookie(App.TUNNEL, objectIdOf(x1.id)));
    expect(owned).toHaveLength(2); // l2pop entries for x1's MAC and its pair's MAC
  });

  it('maps UUIDs to their first 48 bits and other ids to a non-zero 48-bit hash', () => {
    expect(objectIdOf('5f0e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(0x5f0e1c2a3b4dn);
    expect(objectIdOf('net-x')).not.toBe(objectIdOf('net-y'));
    expect(objectIdOf('net-x')).toBeGreaterThan(0n);
    expect(objectIdOf('net-x')).toBeLessThan(1n << 48n);
  });

  it('never asks for two flows with the same table, priority and match (the reconciler would refuse)', () => {
    for (const h of HOSTS) for (const flows of l2HostFlows(snap, h).values()) expect(() => indexDesired(flows)).not.toThrow();
  });

  it('is a pure function of the snapshot', () => {
    expect(hostLines(snap, 'h1')).toEqual(hostLines(createSnapshot(withLocalVlans(hosts, [X, V, F, L], ports)), 'h1'));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinConflictError, joinHost, type JoinOptions } from '../../src/host/index.js';
import { configSnapshot, controllers, getColumn, listBridges, listPorts } from './ovs-readback.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

const CONTROLLER = 'tcp:127.0.0.1:6653';

describe('join on a fresh OVS instance without any bridge', () => {
  let ovs: OvsSandbox;
  let opts: JoinOptions;
  const vsctl = (...args: string[]): string => ovs.vsctl(...args);

  beforeAll(async () => {
    ovs = await OvsSandbox.start();
    opts = {
      name: 'compute-1',
      tunnelIp: '192.0.2.21',
      controller: CONTROLLER,
      bridgeMappings: { physnet1: 'br-ex', physnet2: 'br-eth1' },
      db: ovs.db,
      datapathType: 'netdev',
    };
  });
  afterAll(async () => {
    await ovs?.stop();
  });

  it('creates br-int, br-tun and the provider bridges, ready for the controller', async () => {
    const report = await joinHost(opts);
    expect(report.registration).toBe('skipped');
    expect(report.changes).toContain('br-int: created');
    expect(await listBridges(vsctl)).toEqual(['br-eth1', 'br-ex', 'br-int', 'br-tun']);
    for (const br of ['br-int', 'br-tun', 'br-ex', 'br-eth1']) {
      expect(await getColumn(vsctl, 'bridge', br, 'fail_mode')).toBe('secure');
      expect(await getColumn(vsctl, 'bridge', br, 'protocols')).toBe('[OpenFlow10, OpenFlow13, OpenFlow15]');
      expect(await getColumn(vsctl, 'bridge', br, 'datapath_type')).toBe('netdev');
      expect(await getColumn(vsctl, 'bridge', br, 'other-config:dp-desc')).toBe(`"compute-1 ${br}"`);
      expect(await controllers(vsctl, br)).toEqual([CONTROLLER]);
      expect(await getColumn(vsctl, 'controller', br, 'connection_mode')).toBe('out-of-band');
      // Packet-ins (DHCP) are rate-limited per bridge by OVS itself, fairly across ports.
      expect(await getColumn(vsctl, 'controller', br, 'controller_rate_limit')).toBe('1000');
      expect(await getColumn(vsctl, 'controller', br, 'controller_burst_limit')).toBe('250');
    }
    expect(await listPorts(vsctl, 'br-int')).toEqual(['int-br-eth1', 'int-br-ex', 'patch-tun']);
    expect(await listPorts(vsctl, 'br-tun')).toEqual(['patch-int', 'vxlan-flow']);
    expect(await listPorts(vsctl, 'br-ex')).toEqual(['phy-br-ex']);
    expect(await listPorts(vsctl, 'br-eth1')).toEqual(['phy-br-eth1']);
    const peers: Array<[string, string]> = [
      ['patch-tun', 'patch-int'], ['patch-int', 'patch-tun'], ['int-br-ex', 'phy-br-ex'], ['phy-br-ex', 'int-br-ex'],
      ['int-br-eth1', 'phy-br-eth1'], ['phy-br-eth1', 'int-br-eth1'],
    ];
    for (const [port, peer] of peers) {
      expect(await getColumn(vsctl, 'interface', port, 'type')).toBe('patch');
      expect(await getColumn(vsctl, 'interface', port, 'options')).toBe(`{peer=${peer}}`);
    }
    expect(await getColumn(vsctl, 'interface', 'vxlan-flow', 'type')).toBe('vxlan');
    expect(await getColumn(vsctl, 'interface', 'vxlan-flow', 'options')).toBe('{key=flow, local_ip="192.0.2.21", remote_ip=flow}');
  });

  it('leaves bridges that vswitchd runs and that plain ovs-ofctl (OpenFlow 1.0) and -O OpenFlow13 can talk to', () => {
    // ofport > 0: vswitchd applied the ports, not just the database.
    expect(Number(ovs.vsctl('get', 'interface', 'vxlan-flow', 'ofport'))).toBeGreaterThan(0);
    expect(ovs.tool('ovs-ofctl', 'show', 'br-tun')).toMatch(/\(patch-int\).*\n[\s\S]*\(vxlan-flow\)/);
    expect(ovs.ofctl('dump-flows', 'br-int')).toContain('OFPST_FLOW reply (OF1.3)');
  });

  it('writes nothing, reconnects nothing and keeps the flows when run again', async () => {
    ovs.ofctl('add-flow', 'br-int', 'table=0,priority=7,in_port=patch-tun,actions=drop');
    const before = await configSnapshot(vsctl);
    const report = await joinHost(opts);
    expect(report.changes).toEqual([]);
    expect(await configSnapshot(vsctl)).toBe(before);
    expect(ovs.ofctl('--no-stats', 'dump-flows', 'br-int')).toContain('priority=7,in_port=');
  });

  it('moves the bridges to a new controller target without flushing their flows', async () => {
    const report = await joinHost({ ...opts, controller: 'tcp:127.0.0.1:6654' });
    expect(report.changes.filter((c) => c.includes('controller'))).toEqual(
      ['br-int', 'br-tun', 'br-ex', 'br-eth1'].map((br) => `${br}: controller ${CONTROLLER} -> tcp:127.0.0.1:6654`),
    );
    for (const br of ['br-int', 'br-tun', 'br-ex', 'br-eth1']) expect(await controllers(vsctl, br)).toEqual(['tcp:127.0.0.1:6654']);
    expect(ovs.ofctl('--no-stats', 'dump-flows', 'br-int')).toContain('priority=7,in_port=');
  });

  it('refuses, writing nothing, when one of its port names sits on another bridge', async () => {
    ovs.vsctl('add-port', 'br-int', 'phy-br-eth2', '--', 'set', 'interface', 'phy-br-eth2', 'type=internal');
    const before = await configSnapshot(vsctl);
    await expect(joinHost({ ...opts, bridgeMappings: { ...opts.bridgeMappings, physnet3: 'br-eth2' } })).rejects.toThrow(
      new JoinConflictError('port phy-br-eth2 belongs on br-eth2 but is on br-int; remove it there first'),
    );
    expect(await configSnapshot(vsctl)).toBe(before);
    ovs.vsctl('del-port', 'phy-br-eth2');
  });
});

describe('join adopting bridges that already exist', () => {
  let ovs: OvsSandbox;
  const vsctl = (...args: string[]): string => ovs.vsctl(...args);

  beforeAll(async () => {
    ovs = await OvsSandbox.start();
    // What an operator or an earlier agent may have left: other ports, other settings, a wrong patch peer.
    ovs.vsctl(
      'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'fail_mode=standalone', 'protocols=OpenFlow13,OpenFlow14',
      'other-config:datapath-id=00000000000000aa', 'external_ids:owner=ops',
      '--', 'add-port', 'br-int', 'tapvm1', '--', 'set', 'interface', 'tapvm1', 'external_ids:iface-id=port-1',
      '--', 'add-port', 'br-int', 'patch-tun', '--', 'set', 'interface', 'patch-tun', 'type=patch', 'options:peer=nowhere',
      '--', 'add-br', 'br-tun',
      '--', 'add-port', 'br-tun', 'vxlan-h2', '--', 'set', 'interface', 'vxlan-h2', 'type=vxlan', 'options:remote_ip=192.0.2.12',
      '--', 'add-br', 'br-ex', '--', 'add-port', 'br-ex', 'eth1',
    );
  });
  afterAll(async () => {
    await ovs?.stop();
  });

  it('keeps their ports and settings, and fixes only what the controller needs', async () => {
    const report = await joinHost({
      name: 'compute-2', tunnelIp: '2001:DB8:0:0::2', controller: CONTROLLER, bridgeMappings: { public: 'br-ex' }, db: ovs.db,
    });
    expect(report.changes).toEqual(expect.arrayContaining([
      'br-int: fail_mode standalone -> secure',
      'br-int: protocols OpenFlow13,OpenFlow14 -> OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15',
      'br-int: port patch-tun updated (type=patch peer=patch-int)',
      'br-tun: port vxlan-flow added (type=vxlan remote_ip=flow key=flow local_ip=2001:db8::2)',
    ]));
    expect(await listPorts(vsctl, 'br-int')).toEqual(['int-br-ex', 'patch-tun', 'tapvm1']);
    expect(await listPorts(vsctl, 'br-tun')).toEqual(['patch-int', 'vxlan-flow', 'vxlan-h2']);
    expect(await listPorts(vsctl, 'br-ex')).toEqual(['eth1', 'phy-br-ex']);
    expect(await getColumn(vsctl, 'interface', 'tapvm1', 'external_ids:iface-id')).toBe('port-1');
    expect(await getColumn(vsctl, 'interface', 'patch-tun', 'options')).toBe('{peer=patch-int}');
    expect(await getColumn(vsctl, 'interface', 'vxlan-h2', 'options')).toBe('{remote_ip="192.0.2.12"}');
    expect(await getColumn(vsctl, 'interface', 'vxlan-flow', 'options')).toBe('{key=flow, local_ip="2001:db8::2", remote_ip=flow}');
    expect(await getColumn(vsctl, 'bridge', 'br-int', 'other-config')).toBe('{datapath-id="00000000000000aa", dp-desc="compute-2 br-int"}');
    expect(await getColumn(vsctl, 'bridge', 'br-int', 'external_ids')).toBe('{owner=ops}');
    expect(await getColumn(vsctl, 'bridge', 'br-int', 'protocols')).toBe('[OpenFlow10, OpenFlow13, OpenFlow14, OpenFlow15]');
    // No --datapath-type: existing bridges keep theirs (the OVS default here).
    expect(await getColumn(vsctl, 'bridge', 'br-int', 'datapath_type')).toBe('""');
    for (const br of ['br-int', 'br-tun', 'br-ex']) {
      expect(await getColumn(vsctl, 'bridge', br, 'fail_mode')).toBe('secure');
      expect(await controllers(vsctl, br)).toEqual([CONTROLLER]);
    }
  });

  it('is then idempotent too', async () => {
    const before = await configSnapshot(vsctl);
    const report = await joinHost({
      name: 'compute-2', tunnelIp: '2001:db8::2', controller: CONTROLLER, bridgeMappings: { public: 'br-ex' }, db: ovs.db,
    });
    expect(report.changes).toEqual([]);
    expect(await configSnapshot(vsctl)).toBe(before);
  });

  // A bridge an earlier join (before packet-in limits) pointed at us: only the missing limits are set.
  it('adds the packet-in limits to a controller that already points at us, keeping the target', async () => {
    ovs.vsctl('clear', 'controller', 'br-tun', 'controller_rate_limit', 'controller_burst_limit');
    const report = await joinHost({
      name: 'compute-2', tunnelIp: '2001:db8::2', controller: CONTROLLER, bridgeMappings: { public: 'br-ex' }, db: ovs.db,
    });
    expect(report.changes).toEqual(['br-tun: controller_rate_limit (unset) -> 1000', 'br-tun: controller_burst_limit (unset) -> 250']);
    expect(await getColumn(vsctl, 'controller', 'br-tun', 'controller_rate_limit')).toBe('1000');
    expect(await controllers(vsctl, 'br-tun')).toEqual([CONTROLLER]);
  });
});

describe('join on a database nobody initialized', () => {
  let ovs: OvsSandbox;
  beforeAll(async () => {
    ovs = await OvsSandbox.start({ initialized: false });
  });
  afterAll(async () => {
    await ovs?.stop();
  });

  // ovs-vswitchd creates the Open_vSwitch row itself, so no `ovs-vsctl init` is needed first.
  it('builds the bridges', async () => {
    const report = await joinHost({ name: 'compute-5', tunnelIp: '192.0.2.55', controller: CONTROLLER, bridgeMappings: {}, db: ovs.db });
    expect(report.changes[0]).toBe('br-int: created');
    expect(await listBridges((...a) => ovs.vsctl(...a))).toEqual(['br-int', 'br-tun']);
    expect(Number(ovs.vsctl('get', 'interface', 'patch-int', 'ofport'))).toBeGreaterThan(0);
  });

  // int-br-provider-one would be 19 characters: Neutron's hashed names, both ends agreeing.
  it('patches a 15-character provider bridge with hashed port names', async () => {
    await joinHost({ name: 'compute-5', tunnelIp: '192.0.2.55', controller: CONTROLLER, bridgeMappings: { physnet1: 'br-provider-one' }, db: ovs.db });
    const vsctl = (...a: string[]): string => ovs.vsctl(...a);
    expect(await listPorts(vsctl, 'br-int')).toEqual(['int-br-pr0ed082', 'patch-tun']);
    expect(await listPorts(vsctl, 'br-provider-one')).toEqual(['phy-br-pr0ed082']);
    expect(await getColumn(vsctl, 'interface', 'int-br-pr0ed082', 'options')).toBe('{peer=phy-br-pr0ed082}');
    expect(Number(ovs.vsctl('get', 'interface', 'int-br-pr0ed082', 'ofport'))).toBeGreaterThan(0);
  });
});

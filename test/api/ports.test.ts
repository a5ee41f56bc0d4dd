import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, neutronError, TestApi } from './harness.js';

describe('ports over HTTP', () => {
  let api: TestApi;
  let net: { id: string };
  let v4: { id: string };
  let v6: { id: string };
  beforeAll(async () => {
    api = await TestApi.start();
    net = await api.create('networks', 'network', { name: 'pn' }, ALICE);
    v4 = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '192.168.10.0/29' }, ALICE);
    v6 = await api.create('subnets', 'subnet', { network_id: net.id, cidr: 'fd00:10::/64', ip_version: 6 }, ALICE);
  });
  afterAll(() => api.stop());

  it('creates a port DOWN with a generated fa:16:3e MAC, one IPv4 and one IPv6 address, and the default security group', async () => {
    const port = await api.create('ports', 'port', { name: 'p1', network_id: net.id }, ALICE);
    expect(port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(port.status).toBe('DOWN');
    expect(port.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: '192.168.10.2' },
      { subnet_id: v6.id, ip_address: 'fd00:10::2' }, // ::1 is the gateway
    ]);
    const groups = (await api.call('GET', '/v2.0/security-groups?name=default', undefined, ALICE)).body.security_groups;
    expect(groups).toHaveLength(1);
    expect(port.security_groups).toEqual([groups[0].id]);
    expect(port.port_security_enabled).toBe(true);
  });

  it('gives requested addresses and MACs and refuses taken ones, changing nothing', async () => {
    const port = await api.create('ports', 'port', {
      network_id: net.id,
      mac_address: 'FA:16:3E:00:00:01',
      fixed_ips: [{ ip_address: '192.168.10.6' }],
    }, ALICE);
    expect(port.mac_address).toBe('fa:16:3e:00:00:01');
    expect(port.fixed_ips).toEqual([{ subnet_id: v4.id, ip_address: '192.168.10.6' }]);
    const before = await api.snapshot();
    const ipTaken = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: v4.id, ip_address: '192.168.10.6' }] } }, ALICE);
    expect(neutronError(ipTaken, 409)).toMatch(/192\.168\.10\.6 already allocated/);
    const macTaken = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:00:00:01' } }, ALICE);
    expect(neutronError(macTaken, 409)).toMatch(/mac address fa:16:3e:00:00:01 is in use/);
    expect(macTaken.body.NeutronError.type).toBe('MacAddressInUse');
    neutronError(await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'not-a-mac' } }, ALICE), 400);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses IPs outside the subnet (or not in any subnet of the network), changing nothing', async () => {
    const before = await api.snapshot();
    const outside = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: v4.id, ip_address: '192.168.11.3' }] } }, ALICE);
    expect(neutronError(outside, 400)).toMatch(/not a valid IP for the specified subnet/);
    const broadcast = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: v4.id, ip_address: '192.168.10.7' }] } }, ALICE);
    neutronError(broadcast, 400);
    const noSubnet = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '172.16.0.9' }] } }, ALICE);
    expect(neutronError(noSubnet, 400)).toMatch(/not a valid IP for any subnet/);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses an IP on a network with no subnet, but creates an address-less port there', async () => {
    const bare = await api.create('networks', 'network', {}, ALICE);
    const before = await api.snapshot();
    const r = await api.call('POST', '/v2.0/ports', { port: { network_id: bare.id, fixed_ips: [{ ip_address: '10.0.0.5' }] } }, ALICE);
    expect(neutronError(r, 400)).toMatch(/has no subnet/);
    expect(await api.snapshot()).toEqual(before);
    expect((await api.create('ports', 'port', { network_id: bare.id }, ALICE)).fixed_ips).toEqual([]);
  });

  it('says the pool is exhausted with 409 and frees addresses on delete', async () => {
    const small = await api.create('networks', 'network', {}, ALICE);
    await api.create('subnets', 'subnet', { network_id: small.id, cidr: '10.9.0.0/30' }, ALICE); // one usable address
    const only = await api.create('ports', 'port', { network_id: small.id }, ALICE);
    expect(only.fixed_ips[0].ip_address).toBe('10.9.0.2');
    const full = await api.call('POST', '/v2.0/ports', { port: { network_id: small.id } }, ALICE);
    expect(full.body.NeutronError.type).toBe('IpAddressGenerationFailure');
    neutronError(full, 409);
    await api.call('DELETE', `/v2.0/ports/${only.id}`, undefined, ALICE);
    expect((await api.create('ports', 'port', { network_id: small.id }, ALICE)).fixed_ips[0].ip_address).toBe('10.9.0.2');
  });

  it('updates fixed IPs, security groups, address pairs and binding, and refuses SGs with port security off', async () => {
    const port = await api.create('ports', 'port', { network_id: net.id, fixed_ips: [{ subnet_id: v4.id }] }, ALICE);
    const moved = await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { fixed_ips: [{ subnet_id: v4.id, ip_address: '192.168.10.5' }] } }, ALICE);
    expect(moved.body.port.fixed_ips).toEqual([{ subnet_id: v4.id, ip_address: '192.168.10.5' }]);
    const freed = await api.create('ports', 'port', { network_id: net.id, fixed_ips: [{ ip_address: port.fixed_ips[0].ip_address }] }, ALICE);
    expect(freed.fixed_ips[0].ip_address).toBe(port.fixed_ips[0].ip_address);
    const pairs = await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { allowed_address_pairs: [{ ip_address: '10.99.0.0/24' }] } }, ALICE);
    expect(pairs.body.port.allowed_address_pairs).toEqual([{ ip_address: '10.99.0.0/24', mac_address: port.mac_address }]);
    neutronError(await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { port_security_enabled: false } }, ALICE), 409);
    const off = await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { port_security_enabled: false, security_groups: [], allowed_address_pairs: [] } }, ALICE);
    expect(off.body.port).toMatchObject({ port_security_enabled: false, security_groups: [] });
    neutronError(await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { 'binding:host_id': 'compute1' } }, ALICE), 403);
    const bound = await api.call('PUT', `/v2.0/ports/${port.id}`, { port: { 'binding:host_id': 'compute1' } });
    expect(bound.body.port).toMatchObject({ 'binding:host_id': 'compute1', 'binding:vif_type': 'ovs' });
    expect((await api.call('GET', `/v2.0/ports?binding:host_id=compute1`)).body.ports.map((p: { id: string }) => p.id)).toEqual([port.id]);
  });

  it('lets the switch side set the status through the store, and emits the change after commit', async () => {
    const port = await api.create('ports', 'port', { network_id: net.id, fixed_ips: [] }, ALICE);
    const seen: string[] = [];
    const sub = api.store.changes.subscribe((c) => {
      if (c.kind === 'port' && c.id === port.id) seen.push(`${c.op}:${(c.after as { status: string }).status}`);
    });
    api.store.ports.setStatus(port.id, 'ACTIVE');
    sub.unsubscribe();
    expect(seen).toEqual(['updated:ACTIVE']);
    expect((await api.call('GET', `/v2.0/ports/${port.id}`, undefined, ALICE)).body.port.status).toBe('ACTIVE');
  });

  it('lists ports by network and by device, only those the caller may see', async () => {
    const shared = await api.create('networks', 'network', { shared: true });
    const mine = await api.create('ports', 'port', { network_id: shared.id, device_id: 'vm-1' }, ALICE);
    const bobs = await api.create('ports', 'port', { network_id: shared.id, device_id: 'vm-1' }, BOB);
    const ids = (r: { body: { ports: { id: string }[] } }): string[] => r.body.ports.map((p) => p.id);
    expect(ids(await api.call('GET', `/v2.0/ports?network_id=${shared.id}`, undefined, ALICE))).toEqual([mine.id]);
    expect(ids(await api.call('GET', `/v2.0/ports?network_id=${shared.id}`))).toEqual([mine.id, bobs.id]);
    expect(ids(await api.call('GET', '/v2.0/ports?device_id=vm-1', undefined, BOB))).toEqual([bobs.id]);
    expect(ids(await api.call('GET', `/v2.0/ports?device_id=vm-1&network_id=${net.id}`))).toEqual([]);
  });

  it('creates 1,000 ports in one bulk request with unique addresses on a /22', async () => {
    const big = await api.create('networks', 'network', {});
    await api.create('subnets', 'subnet', { network_id: big.id, cidr: '10.20.0.0/22' });
    const r = await api.call('POST', '/v2.0/ports', { ports: Array.from({ length: 1000 }, () => ({ network_id: big.id })) });
    expect(r.status).toBe(201);
    const ips = new Set(r.body.ports.map((p: { fixed_ips: { ip_address: string }[] }) => p.fixed_ips[0].ip_address));
    const macs = new Set(r.body.ports.map((p: { mac_address: string }) => p.mac_address));
    expect(ips.size).toBe(1000);
    expect(macs.size).toBe(1000);
    expect(ips.has('10.20.0.1')).toBe(false); // the gateway
  });
});

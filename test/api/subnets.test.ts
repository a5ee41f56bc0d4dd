import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, neutronError, TestApi } from './harness.js';

describe('subnets over HTTP', () => {
  let api: TestApi;
  let net: { id: string };
  beforeAll(async () => {
    api = await TestApi.start();
    net = await api.create('networks', 'network', { name: 'sn' }, ALICE);
  });
  afterAll(() => api.stop());

  it('creates an IPv4 subnet with Neutron defaults and lists it on its network', async () => {
    const s = await api.create('subnets', 'subnet', { name: 's4', network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 }, ALICE);
    expect(s).toMatchObject({
      cidr: '10.1.0.0/24',
      ip_version: 4,
      gateway_ip: '10.1.0.1',
      allocation_pools: [{ start: '10.1.0.2', end: '10.1.0.254' }],
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
      project_id: 'alice',
    });
    expect((await api.call('GET', `/v2.0/networks/${net.id}`, undefined, ALICE)).body.network.subnets).toContain(s.id);
  });

  it('creates an IPv6 subnet in canonical form with explicit pools, DNS and host routes, and updates it', async () => {
    const s = await api.create('subnets', 'subnet', {
      network_id: net.id,
      cidr: '2001:DB8:0:1::/64',
      ip_version: 6,
      gateway_ip: '2001:db8:0:1::ffff',
      allocation_pools: [{ start: '2001:db8:0:1::10', end: '2001:db8:0:1::20' }],
      dns_nameservers: ['2001:4860:4860::8888'],
      host_routes: [{ destination: '2001:db8:99::/48', nexthop: '2001:db8:0:1::1' }],
    });
    expect(s).toMatchObject({ cidr: '2001:db8:0:1::/64', gateway_ip: '2001:db8:0:1::ffff', ip_version: 6 });
    const r = await api.call('PUT', `/v2.0/subnets/${s.id}`, { subnet: { enable_dhcp: false, dns_nameservers: [] } });
    expect(r.body.subnet).toMatchObject({ enable_dhcp: false, dns_nameservers: [] });
  });

  it('refuses bad CIDRs, a CIDR of the wrong version and overlapping CIDRs in one network, changing nothing', async () => {
    const before = await api.snapshot();
    const post = (attrs: Record<string, unknown>): Promise<import('./harness.js').Reply> =>
      api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, ...attrs } });
    expect(neutronError(await post({ cidr: '10.1.300.0/24' }), 400)).toMatch(/isn't a recognized IP subnet cidr/);
    expect(neutronError(await post({ cidr: '10.2.0.5/24' }), 400)).toMatch(/10\.2\.0\.0\/24 is recommended/);
    expect(neutronError(await post({ cidr: 'fd00::/64' }), 400)).toMatch(/does not match ip_version/);
    expect(neutronError(await post({ cidr: '10.1.0.128/25' }), 400)).toMatch(/overlaps with another subnet/);
    expect(neutronError(await post({ cidr: '10.0.0.0/8' }), 400)).toMatch(/overlaps with another subnet/);
    expect(await api.snapshot()).toEqual(before);
  });

  it('gives ports on a SLAAC subnet their EUI-64 address', async () => {
    const slaacNet = await api.create('networks', 'network', {});
    const slaac = await api.create('subnets', 'subnet', {
      network_id: slaacNet.id, cidr: '2001:db8:5::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac',
    });
    const port = await api.create('ports', 'port', { network_id: slaacNet.id, mac_address: 'fa:16:3e:12:34:56' });
    expect(port.fixed_ips).toEqual([{ subnet_id: slaac.id, ip_address: '2001:db8:5:0:f816:3eff:fe12:3456' }]);
  });

  it('allows the same CIDR on another network', async () => {
    const other = await api.create('networks', 'network', {});
    expect((await api.call('POST', '/v2.0/subnets', { subnet: { network_id: other.id, cidr: '10.1.0.0/24' } })).status).toBe(201);
  });

  it('refuses a gateway outside its subnet and a gateway inside its own pools', async () => {
    const before = await api.snapshot();
    const outside = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.3.0.0/24', gateway_ip: '10.4.0.1' } });
    expect(neutronError(outside, 400)).toMatch(/Gateway IP 10\.4\.0\.1 is not a usable address/);
    const broadcast = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.3.0.0/24', gateway_ip: '10.3.0.255' } });
    neutronError(broadcast, 400);
    const inPool = await api.call('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.3.0.0/24', gateway_ip: '10.3.0.5', allocation_pools: [{ start: '10.3.0.2', end: '10.3.0.9' }] },
    });
    expect(neutronError(inPool, 409)).toMatch(/conflicts with allocation pool/);
    const outOfBounds = await api.call('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.3.0.0/24', allocation_pools: [{ start: '10.3.0.2', end: '10.3.1.9' }] },
    });
    neutronError(outOfBounds, 400);
    expect(await api.snapshot()).toEqual(before);
  });

  it('excludes the gateway from default pools when it is in the middle, and creates a subnet with no gateway', async () => {
    const mid = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '10.5.0.0/29', gateway_ip: '10.5.0.3' });
    expect(mid.allocation_pools).toEqual([
      { start: '10.5.0.1', end: '10.5.0.2' },
      { start: '10.5.0.4', end: '10.5.0.6' },
    ]);
    const none = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '10.6.0.0/29', gateway_ip: null });
    expect(none).toMatchObject({ gateway_ip: null, allocation_pools: [{ start: '10.6.0.1', end: '10.6.0.6' }] });
  });

  it('refuses to delete a subnet still used by ports, and by a router', async () => {
    const s = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '10.7.0.0/24' }, ALICE);
    const port = await api.create('ports', 'port', { network_id: net.id, fixed_ips: [{ subnet_id: s.id }] }, ALICE);
    expect(neutronError(await api.call('DELETE', `/v2.0/subnets/${s.id}`, undefined, ALICE), 409)).toMatch(/One or more ports/);
    await api.call('DELETE', `/v2.0/ports/${port.id}`, undefined, ALICE);
    const router = await api.create('routers', 'router', { name: 'r' }, ALICE);
    expect((await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: s.id }, ALICE)).status).toBe(200);
    const inUse = await api.call('DELETE', `/v2.0/subnets/${s.id}`, undefined, ALICE);
    expect(inUse.body.NeutronError.type).toBe('SubnetInUse');
    neutronError(inUse, 409);
    await api.call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: s.id }, ALICE);
    expect((await api.call('DELETE', `/v2.0/subnets/${s.id}`, undefined, ALICE)).status).toBe(204);
    expect((await api.call('GET', `/v2.0/networks/${net.id}`)).body.network.subnets).not.toContain(s.id);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, neutronError, TestApi } from './harness.js';

describe('routers and floating IPs over HTTP', () => {
  let api: TestApi;
  let ext: { id: string };
  let extSubnet: { id: string };
  let net: { id: string };
  let subnet: { id: string };
  beforeAll(async () => {
    api = await TestApi.start();
    ext = await api.create('networks', 'network', {
      name: 'public',
      'router:external': true,
      'provider:network_type': 'flat',
      'provider:physical_network': 'ext',
    });
    extSubnet = await api.create('subnets', 'subnet', { network_id: ext.id, cidr: '203.0.113.0/24', enable_dhcp: false });
    net = await api.create('networks', 'network', { name: 'private' }, ALICE);
    subnet = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '10.0.0.0/24' }, ALICE);
  });
  afterAll(() => api.stop());

  it('lets members see external networks but not change them', async () => {
    const list = await api.call('GET', '/v2.0/networks', undefined, ALICE);
    expect(list.body.networks.map((n: { name: string }) => n.name).sort()).toEqual(['private', 'public']);
    neutronError(await api.call('PUT', `/v2.0/networks/${ext.id}`, { network: { name: 'mine' } }, ALICE), 403);
  });

  it('adds and removes a subnet interface (port with the gateway IP) and returns Neutron-shaped JSON', async () => {
    const router = await api.create('routers', 'router', { name: 'r1' }, ALICE);
    expect(router).toMatchObject({ status: 'ACTIVE', distributed: false, external_gateway_info: null });
    const added = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id }, ALICE);
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: router.id, subnet_id: subnet.id, subnet_ids: [subnet.id], network_id: net.id, project_id: 'alice' });
    const port = (await api.call('GET', `/v2.0/ports/${added.body.port_id}`, undefined, ALICE)).body.port;
    expect(port).toMatchObject({ device_id: router.id, device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.1' }] });
    const again = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id }, ALICE);
    expect(neutronError(again, 400)).toMatch(/already has a port on subnet/);
    expect(neutronError(await api.call('DELETE', `/v2.0/ports/${port.id}`, undefined, ALICE), 409)).toMatch(/cannot be deleted directly/);
    expect(neutronError(await api.call('DELETE', `/v2.0/routers/${router.id}`, undefined, ALICE), 409)).toMatch(/still has ports/);
    const removed = await api.call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id }, ALICE);
    expect(removed.body).toMatchObject({ id: router.id, port_id: port.id });
    neutronError(await api.call('GET', `/v2.0/ports/${port.id}`, undefined, ALICE), 404);
    expect((await api.call('DELETE', `/v2.0/routers/${router.id}`, undefined, ALICE)).status).toBe(204);
  });

  it('adds a port interface and refuses a subnet overlapping an existing interface', async () => {
    const router = await api.create('routers', 'router', { name: 'r2' }, ALICE);
    const port = await api.create('ports', 'port', { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.254' }] }, ALICE);
    const added = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { port_id: port.id }, ALICE);
    expect(added.body).toMatchObject({ port_id: port.id, subnet_id: subnet.id });
    const net2 = await api.create('networks', 'network', {}, ALICE);
    const overlapping = await api.create('subnets', 'subnet', { network_id: net2.id, cidr: '10.0.0.0/25' }, ALICE);
    const before = await api.snapshot();
    const r = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: overlapping.id }, ALICE);
    expect(neutronError(r, 400)).toMatch(/overlaps with cidr/);
    expect(await api.snapshot()).toEqual(before);
    await api.call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { port_id: port.id }, ALICE);
  });

  it('sets a gateway, associates a floating IP, refuses to drop what the floating IP needs, and cleans up', async () => {
    const router = await api.create('routers', 'router', { name: 'r3' }, ALICE);
    neutronError(await api.call('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: net.id } } }, ALICE), 400);
    const gw = await api.call('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.id } } }, ALICE);
    expect(gw.body.router.external_gateway_info).toMatchObject({
      network_id: ext.id,
      enable_snat: true,
      external_fixed_ips: [{ subnet_id: extSubnet.id, ip_address: '203.0.113.2' }],
    });
    await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id }, ALICE);
    const vm = await api.create('ports', 'port', { network_id: net.id }, ALICE);
    const fip = await api.create('floatingips', 'floatingip', { floating_network_id: ext.id, port_id: vm.id }, ALICE);
    expect(fip).toMatchObject({
      floating_ip_address: '203.0.113.3',
      port_id: vm.id,
      fixed_ip_address: vm.fixed_ips[0].ip_address,
      router_id: router.id,
      status: 'DOWN',
    });
    const second = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, ALICE);
    expect(second.body.NeutronError.type).toBe('FloatingIPPortAlreadyAssociated');
    neutronError(second, 409);
    const dropIface = await api.call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id }, ALICE);
    expect(neutronError(dropIface, 409)).toMatch(/required by one or more floating IPs/);
    const dropGw = await api.call('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: {} } }, ALICE);
    neutronError(dropGw, 409);

    const freed = await api.call('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } }, ALICE);
    expect(freed.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null });
    expect((await api.call('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: vm.id } }, ALICE)).body.floatingip.router_id).toBe(router.id);
    // Deleting the port disassociates its floating IP.
    await api.call('DELETE', `/v2.0/ports/${vm.id}`, undefined, ALICE);
    expect((await api.call('GET', `/v2.0/floatingips/${fip.id}`, undefined, ALICE)).body.floatingip.port_id).toBeNull();
    expect((await api.call('DELETE', `/v2.0/floatingips/${fip.id}`, undefined, ALICE)).status).toBe(204);
    const cleared = await api.call('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: {} } }, ALICE);
    expect(cleared.body.router.external_gateway_info).toBeNull();
    expect((await api.call('GET', `/v2.0/ports?network_id=${ext.id}`)).body.ports).toEqual([]);
    await api.call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id }, ALICE);
  });

  it('refuses a floating IP for a port with no route to the external network, changing nothing', async () => {
    const isolatedNet = await api.create('networks', 'network', {}, ALICE);
    await api.create('subnets', 'subnet', { network_id: isolatedNet.id, cidr: '10.50.0.0/24' }, ALICE);
    const vm = await api.create('ports', 'port', { network_id: isolatedNet.id }, ALICE);
    const before = await api.snapshot();
    const r = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, ALICE);
    expect(neutronError(r, 404)).toMatch(/is not reachable from subnet/);
    expect(r.body.NeutronError.type).toBe('ExternalGatewayForFloatingIPNotFound');
    expect(await api.snapshot()).toEqual(before);
    const notExternal = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: isolatedNet.id } }, ALICE);
    expect(neutronError(notExternal, 400)).toMatch(/not a valid external network/);
  });

  it('creates distributed routers (admin only) whose interfaces are distributed', async () => {
    neutronError(await api.call('POST', '/v2.0/routers', { router: { distributed: true } }, ALICE), 403);
    const dvr = await api.create('routers', 'router', { distributed: true, project_id: 'alice' });
    const added = await api.call('PUT', `/v2.0/routers/${dvr.id}/add_router_interface`, { subnet_id: subnet.id });
    const port = (await api.call('GET', `/v2.0/ports/${added.body.port_id}`)).body.port;
    expect(port.device_owner).toBe('network:router_interface_distributed');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, neutronError, TestApi } from './harness.js';

describe('networks over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start({ store: { vniRanges: [[100, 102]], vlanRanges: { physnet1: [[10, 11]] } } });
  });
  afterAll(() => api.stop());

  it('creates a tenant network with a VXLAN segment from the configured range, then shows, updates and deletes it', async () => {
    const net = await api.create('networks', 'network', { name: 'n1', admin_state_up: true }, ALICE);
    expect(net).toMatchObject({
      name: 'n1',
      project_id: 'alice',
      status: 'ACTIVE',
      mtu: 1450,
      shared: false,
      'router:external': false,
      'provider:network_type': 'vxlan',
      'provider:segmentation_id': 100,
      subnets: [],
    });
    const shown = await api.call('GET', `/v2.0/networks/${net.id}`, undefined, ALICE);
    expect(shown.body.network).toEqual(net);
    const updated = await api.call('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'renamed', mtu: 1400 } }, ALICE);
    expect(updated.status).toBe(200);
    expect(updated.body.network).toMatchObject({ name: 'renamed', mtu: 1400, revision_number: 1 });
    neutronError(await api.call('PUT', `/v2.0/networks/${net.id}`, { network: { mtu: 1500 } }, ALICE), 400); // VXLAN: ≤ 1450
    expect((await api.call('DELETE', `/v2.0/networks/${net.id}`, undefined, ALICE)).status).toBe(204);
    neutronError(await api.call('GET', `/v2.0/networks/${net.id}`), 404);
  });

  it('filters lists by any field, repeated id= and fields=', async () => {
    const a = await api.create('networks', 'network', { name: 'fa', 'provider:network_type': 'local' });
    const b = await api.create('networks', 'network', { name: 'fb', 'provider:network_type': 'local', admin_state_up: false });
    await api.create('networks', 'network', { name: 'fc', 'provider:network_type': 'local' });
    const byName = await api.call('GET', '/v2.0/networks?name=fb');
    expect(byName.body.networks.map((n: { id: string }) => n.id)).toEqual([b.id]);
    const byIds = await api.call('GET', `/v2.0/networks?id=${a.id}&id=${b.id}&fields=id&fields=name`);
    expect(byIds.body.networks).toEqual([
      { id: a.id, name: 'fa' },
      { id: b.id, name: 'fb' },
    ]);
    const down = await api.call('GET', '/v2.0/networks?admin_state_up=False&provider:network_type=local');
    expect(down.body.networks.map((n: { name: string }) => n.name)).toEqual(['fb']);
  });

  it('creates networks in bulk, atomically', async () => {
    const ok = await api.call('POST', '/v2.0/networks', {
      networks: [{ name: 'bulk1', 'provider:network_type': 'local' }, { name: 'bulk2', 'provider:network_type': 'local' }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.networks.map((n: { name: string }) => n.name)).toEqual(['bulk1', 'bulk2']);
    const before = await api.snapshot();
    const bad = await api.call('POST', '/v2.0/networks', {
      networks: [{ name: 'bulk3', 'provider:network_type': 'local' }, { name: 'bulk4', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 5000 }],
    });
    neutronError(bad, 400);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses malformed JSON, unknown attributes and wrong types, changing nothing', async () => {
    const before = await api.snapshot();
    expect(neutronError(await api.call('POST', '/v2.0/networks', '{"network": {"name": '), 400)).toMatch(/Malformed|JSON/);
    expect(neutronError(await api.call('POST', '/v2.0/networks', { network: { name: 'x', colour: 'red' } }), 400)).toBe(
      "Unrecognized attribute(s) 'colour'",
    );
    expect(neutronError(await api.call('POST', '/v2.0/networks', { network: { name: 'x', admin_state_up: 'yes' } }), 400)).toMatch(
      /admin_state_up/,
    );
    expect(neutronError(await api.call('POST', '/v2.0/networks', { network: { name: 42 } }), 400)).toMatch(/name/);
    expect(neutronError(await api.call('POST', '/v2.0/networks', { netwerk: {} }), 400)).toMatch(/netwerk/);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses VLANs outside 1-4094 and VLANs already taken on the physnet, but not on another physnet', async () => {
    const vlan = (physnet: string, id: number): Record<string, unknown> => ({
      network: { name: `v${id}`, 'provider:network_type': 'vlan', 'provider:physical_network': physnet, 'provider:segmentation_id': id },
    });
    const before = await api.snapshot();
    expect(neutronError(await api.call('POST', '/v2.0/networks', vlan('physnet1', 0)), 400)).toMatch(/1 through 4094/);
    expect(neutronError(await api.call('POST', '/v2.0/networks', vlan('physnet1', 4095)), 400)).toMatch(/1 through 4094/);
    expect(await api.snapshot()).toEqual(before);
    expect((await api.call('POST', '/v2.0/networks', vlan('physnet1', 200))).status).toBe(201);
    const taken = await api.call('POST', '/v2.0/networks', vlan('physnet1', 200));
    expect(neutronError(taken, 409)).toMatch(/VLAN 200 on physical network physnet1 is in use/);
    expect(taken.body.NeutronError.type).toBe('VlanIdInUse');
    expect((await api.call('POST', '/v2.0/networks', vlan('physnet2', 200))).status).toBe(201);
  });

  it('allocates tenant VLANs from the ranges and refuses two flat networks on one physnet', async () => {
    const auto = await api.create('networks', 'network', { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1' });
    expect(auto['provider:segmentation_id']).toBe(10);
    const flat = { 'provider:network_type': 'flat', 'provider:physical_network': 'ext' };
    await api.create('networks', 'network', flat);
    expect(neutronError(await api.call('POST', '/v2.0/networks', { network: flat }), 409)).toMatch(/ext is in use/);
  });

  it('refuses a VNI that is taken and says so when the tenant range is exhausted', async () => {
    const vxlan = (id: number): Record<string, unknown> => ({ network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': id } });
    expect((await api.call('POST', '/v2.0/networks', vxlan(5000))).status).toBe(201);
    const taken = await api.call('POST', '/v2.0/networks', vxlan(5000));
    expect(neutronError(taken, 409)).toMatch(/tunnel ID 5000 is in use/);
    expect(taken.body.NeutronError.type).toBe('TunnelIdInUse');
    neutronError(await api.call('POST', '/v2.0/networks', vxlan(2 ** 24)), 400);
    // Range 100-102: 100 was freed by the first test, so two more fit, then none.
    for (let i = 0; i < 3; i++) await api.create('networks', 'network', { name: `t${i}` }, ALICE);
    const exhausted = await api.call('POST', '/v2.0/networks', { network: { name: 'one-too-many' } }, ALICE);
    expect(exhausted.status).toBe(503);
    expect(exhausted.body.NeutronError.type).toBe('NoNetworkAvailable');
  });

  it('lets only admins set provider attributes, shared or external', async () => {
    const before = await api.snapshot();
    neutronError(await api.call('POST', '/v2.0/networks', { network: { 'provider:network_type': 'local' } }, ALICE), 403);
    neutronError(await api.call('POST', '/v2.0/networks', { network: { shared: true } }, ALICE), 403);
    neutronError(await api.call('POST', '/v2.0/networks', { network: { 'router:external': true } }, ALICE), 403);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses to change provider attributes of an existing network', async () => {
    const net = await api.create('networks', 'network', { 'provider:network_type': 'local' });
    const r = await api.call('PUT', `/v2.0/networks/${net.id}`, { network: { 'provider:network_type': 'vxlan' } });
    neutronError(r, 400);
    expect((await api.call('GET', `/v2.0/networks/${net.id}`)).body.network).toEqual(net);
  });

  it('refuses to delete a network that has ports', async () => {
    const net = await api.create('networks', 'network', { 'provider:network_type': 'local' });
    const port = await api.create('ports', 'port', { network_id: net.id });
    expect(neutronError(await api.call('DELETE', `/v2.0/networks/${net.id}`), 409)).toMatch(/ports still in use/);
    expect((await api.call('GET', `/v2.0/networks/${net.id}`)).status).toBe(200);
    expect((await api.call('DELETE', `/v2.0/ports/${port.id}`)).status).toBe(204);
    expect((await api.call('DELETE', `/v2.0/networks/${net.id}`)).status).toBe(204);
  });

  it('answers tags requests', async () => {
    const net = await api.create('networks', 'network', { 'provider:network_type': 'local' });
    const put = await api.call('PUT', `/v2.0/networks/${net.id}/tags`, { tags: ['blue', 'green'] });
    expect(put.body).toEqual({ tags: ['blue', 'green'] });
    expect((await api.call('GET', `/v2.0/networks?tags=blue`)).body.networks.map((n: { id: string }) => n.id)).toEqual([net.id]);
    expect((await api.call('DELETE', `/v2.0/networks/${net.id}/tags/blue`)).status).toBe(204);
    expect((await api.call('GET', `/v2.0/networks/${net.id}/tags`)).body).toEqual({ tags: ['green'] });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutronError, TestApi } from './harness.js';

describe('controller endpoints under /v1', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start({
      store: { dvrBaseMac: 'fa:16:3f:00:10:00' },
      listSwitches: () => [{ dpid: '0000000000000001', host: 'compute1', bridge: 'br-int' }],
      flowsFor: async (host, bridge) => ({ desired: `${host}/${bridge}: 1 flow`, installed: '', diff: '+ table=0 actions=drop' }),
    });
  });
  afterAll(() => api.stop());

  it('creates hosts with unique DVR MACs from the configured base, shows them by id or name, updates and deletes', async () => {
    const h1 = (await api.call('POST', '/v1/hosts', { host: { name: 'compute1', tunnel_ip: '192.0.2.11', bridge_mappings: { physnet1: 'br-eth1' } } })).body.host;
    const h2 = (await api.call('POST', '/v1/hosts', { host: { name: 'compute2' } })).body.host;
    expect(h1).toMatchObject({ name: 'compute1', tunnel_ip: '192.0.2.11', bridge_mappings: { physnet1: 'br-eth1' }, dvr_host_mac: 'fa:16:3f:00:10:01' });
    expect(h2.dvr_host_mac).toBe('fa:16:3f:00:10:02');
    expect((await api.call('GET', '/v1/hosts/compute1')).body.host.id).toBe(h1.id);
    const dupName = await api.call('POST', '/v1/hosts', { host: { name: 'compute1' } });
    neutronError(dupName, 409);
    neutronError(await api.call('POST', '/v1/hosts', { host: { name: 'compute3', dvr_host_mac: 'fa:16:3f:00:10:02' } }), 409);
    neutronError(await api.call('POST', '/v1/hosts', { host: { name: 'compute3', tunnel_ip: '300.1.1.1' } }), 400);
    // A bridge name Linux could not hold (16 characters) or with a space: refused, nothing created.
    neutronError(await api.call('POST', '/v1/hosts', { host: { name: 'compute3', bridge_mappings: { physnet1: 'br-much-too-long' } } }), 400);
    neutronError(await api.call('PUT', `/v1/hosts/${h1.id}`, { host: { bridge_mappings: { physnet1: 'br eth1' } } }), 400);
    expect((await api.call('GET', '/v1/hosts/compute3')).status).toBe(404);
    expect((await api.call('GET', '/v1/hosts/compute1')).body.host.bridge_mappings).toEqual({ physnet1: 'br-eth1' });
    const updated = await api.call('PUT', `/v1/hosts/${h2.id}`, { host: { tunnel_ip: '192.0.2.12' } });
    expect(updated.body.host.tunnel_ip).toBe('192.0.2.12');
    expect((await api.call('DELETE', '/v1/hosts/compute2')).status).toBe(204);
    const h3 = (await api.call('POST', '/v1/hosts', { host: { name: 'compute3' } })).body.host;
    expect(h3.dvr_host_mac).toBe('fa:16:3f:00:10:02'); // freed by compute2
  });

  it('allocates local VLANs per (host, network), persistently and idempotently', () => {
    const lv = api.store.localVlans;
    expect(lv.allocate('compute1', 'net-a')).toBe(1);
    expect(lv.allocate('compute1', 'net-b')).toBe(2);
    expect(lv.allocate('compute1', 'net-a')).toBe(1);
    expect(lv.allocate('compute2', 'net-b')).toBe(1);
    expect(lv.release('compute1', 'net-a')).toBe(true);
    expect(lv.allocate('compute1', 'net-c')).toBe(1);
    expect([...lv.ofHost('compute1')]).toEqual([['net-c', 1], ['net-b', 2]]);
  });

  it('shows the local VLANs of a host', async () => {
    const r = await api.call('GET', '/v1/hosts/compute1/local-vlans');
    expect(r.body.local_vlans).toEqual([{ network_id: 'net-c', vlan: 1 }, { network_id: 'net-b', vlan: 2 }]);
  });

  it('serves health, Prometheus metrics and the OpenAPI document without a token', async () => {
    expect((await api.call('GET', '/v1/health', undefined, null)).body.status).toBe('ok');
    await api.call('GET', '/v2.0/networks');
    const res = await fetch(`${api.url}/v1/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/neutrino_api_requests_total\{method="GET",route="\/v2.0\/networks",status="200"\} 1/);
    expect(text).toMatch(/neutrino_store_resources\{kind="hosts"\} 2/);
    const doc = (await api.call('GET', '/v1/openapi.json', undefined, null)).body;
    expect(doc.openapi).toBe('3.0.3');
    const createNetwork = doc.paths['/v2.0/networks'].post.requestBody.content['application/json'].schema;
    expect(createNetwork.properties.network.properties['provider:segmentation_id']).toBeDefined();
    expect(doc.paths['/v2.0/routers/{id}/add_router_interface'].put).toBeDefined();
  });

  it('serves the switch list and bridge flows from the injected hooks', async () => {
    expect((await api.call('GET', '/v1/switches')).body.switches).toEqual([{ dpid: '0000000000000001', host: 'compute1', bridge: 'br-int' }]);
    const flows = await api.call('GET', '/v1/hosts/compute1/bridges/br-int/flows');
    expect(flows.body).toEqual({ desired: 'compute1/br-int: 1 flow', installed: '', diff: '+ table=0 actions=drop' });
  });

  it('answers the Neutron index, extensions and identity stubs the CLI needs', async () => {
    const ext = (await api.call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(ext).toContain('router');
    expect(ext).toContain('tag-ports-during-bulk-creation');
    neutronError(await api.call('GET', '/v2.0/extensions/no-such-ext'), 404);
    expect((await api.call('GET', '/projects/demo')).body.project).toMatchObject({ id: 'demo', name: 'demo' });
    const unknown = await api.call('GET', '/v2.0/widgets');
    neutronError(unknown, 404);
    expect(unknown.headers.get('x-openstack-request-id')).toMatch(/^req-/);
  });
});

describe('controller endpoints without hooks', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.stop());

  it('answers 501 for switches and flows until the switch side is attached', async () => {
    expect((await api.call('GET', '/v1/switches')).status).toBe(501);
  });
});

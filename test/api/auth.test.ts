import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, neutronError, TestApi } from './harness.js';

describe('token auth and project isolation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.stop());

  it('answers 401 without a token or with an unknown one, but serves version discovery to anyone', async () => {
    expect(neutronError(await api.call('GET', '/v2.0/networks', undefined, null), 401)).toBe('Authentication required');
    const unknown = await api.call('GET', '/v2.0/networks', undefined, 'nope');
    neutronError(unknown, 401);
    expect(unknown.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    neutronError(await api.call('POST', '/v2.0/networks', { network: {} }, 'nope'), 401);
    const root = await api.call('GET', '/', undefined, null);
    expect(root.status).toBe(200);
    expect(root.body.versions[0]).toMatchObject({ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self' }] });
    expect(root.body.versions[0].links[0].href).toMatch(/\/v2\.0\/$/);
  });

  it("hides other projects' resources (404) and shows shared networks to everyone", async () => {
    const mine = await api.create('networks', 'network', { name: 'alice-net' }, ALICE);
    const shared = await api.create('networks', 'network', { name: 'shared-net', shared: true });
    const bobSees = (await api.call('GET', '/v2.0/networks', undefined, BOB)).body.networks.map((n: { name: string }) => n.name);
    expect(bobSees).toEqual(['shared-net']);
    neutronError(await api.call('GET', `/v2.0/networks/${mine.id}`, undefined, BOB), 404);
    neutronError(await api.call('DELETE', `/v2.0/networks/${mine.id}`, undefined, BOB), 404);
    neutronError(await api.call('PUT', `/v2.0/networks/${shared.id}`, { network: { name: 'x' } }, BOB), 403);
    // Bob may attach a port to the shared network, and it is his.
    const port = await api.create('ports', 'port', { network_id: shared.id }, BOB);
    expect(port.project_id).toBe('bob');
    neutronError(await api.call('GET', `/v2.0/ports/${port.id}`, undefined, ALICE), 404);
    expect((await api.call('GET', '/v2.0/ports', undefined, ADMIN)).body.ports.map((p: { id: string }) => p.id)).toContain(port.id);
  });

  it('refuses a member creating in another project, lets an admin do it', async () => {
    const before = await api.snapshot();
    const r = await api.call('POST', '/v2.0/networks', { network: { project_id: 'bob' } }, ALICE);
    expect(neutronError(r, 403)).toMatch(/disallowed by policy/);
    expect(await api.snapshot()).toEqual(before);
    expect((await api.create('networks', 'network', { project_id: 'bob', name: 'for-bob' })).project_id).toBe('bob');
    const bobs = (await api.call('GET', '/v2.0/networks?name=for-bob', undefined, BOB)).body.networks;
    expect(bobs).toHaveLength(1);
  });

  it("refuses a subnet on someone else's network", async () => {
    const shared = await api.create('networks', 'network', { shared: true });
    neutronError(await api.call('POST', '/v2.0/subnets', { subnet: { network_id: shared.id, cidr: '10.0.0.0/24' } }, BOB), 403);
  });

  it('keeps hosts and the switch view for admins', async () => {
    neutronError(await api.call('GET', '/v1/hosts', undefined, ALICE), 403);
    neutronError(await api.call('POST', '/v1/hosts', { host: { name: 'h' } }, ALICE), 403);
  });
});

describe('no-auth mode', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start({ auth: { mode: 'none', projectId: 'lab' } });
  });
  afterAll(() => api.stop());

  it('treats every request as admin of the configured project, or of X-Project-Id', async () => {
    const net = await api.create('networks', 'network', { name: 'n', 'provider:network_type': 'local' }, 'whatever');
    expect(net.project_id).toBe('lab');
    const res = await fetch(`${api.url}/v2.0/networks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-project-id': 'other' },
      body: JSON.stringify({ network: { name: 'o' } }),
    });
    expect(((await res.json()) as { network: { project_id: string } }).network.project_id).toBe('other');
    expect((await api.call('GET', '/v2.0/networks', undefined, null)).body.networks).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesOf, type NeutronKind } from '../../src/api/attributes.js';
import { TestApi, type Json } from './harness.js';

/** The declared attributes that list queries validate against must cover every attribute the API shows. */
describe('declared attributes match the resources the API shows', () => {
  let api: TestApi;
  const shown: Array<[NeutronKind, string, Json]> = [];

  beforeAll(async () => {
    api = await TestApi.start();
    const ext = await api.create('networks', 'network', { name: 'ext', 'router:external': true, 'provider:network_type': 'local' });
    await api.create('subnets', 'subnet', { network_id: ext.id, cidr: '198.51.100.0/24' });
    const net = await api.create('networks', 'network', { name: 'n' });
    const subnet = await api.create('subnets', 'subnet', { network_id: net.id, cidr: '10.1.0.0/24' });
    const port = await api.create('ports', 'port', { network_id: net.id, 'binding:host_id': 'h1' });
    const router = await api.create('routers', 'router', { name: 'r', external_gateway_info: { network_id: ext.id } });
    await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    const fip = await api.create('floatingips', 'floatingip', { floating_network_id: ext.id, port_id: port.id });
    const sg = await api.create('security-groups', 'security_group', { name: 'sg' });
    const rule = sg.security_group_rules[0];
    shown.push(
      ['network', 'networks', (await api.call('GET', `/v2.0/networks/${net.id}`)).body.network],
      ['subnet', 'subnets', subnet],
      ['port', 'ports', (await api.call('GET', `/v2.0/ports/${port.id}`)).body.port],
      ['router', 'routers', (await api.call('GET', `/v2.0/routers/${router.id}`)).body.router],
      ['floatingip', 'floatingips', fip],
      ['security_group', 'security-groups', sg],
      ['security_group_rule', 'security-group-rules', rule],
    );
  });
  afterAll(() => api.stop());

  it('declares every attribute of every resource view', () => {
    for (const [kind, , doc] of shown) {
      const undeclared = Object.keys(doc).filter((k) => !attributesOf(kind).all.has(k));
      expect(undeclared, kind).toEqual([]);
    }
  });

  it('accepts a filter on every attribute a resource shows and finds the resource by its scalar ones', async () => {
    for (const [kind, path, doc] of shown) {
      for (const [key, value] of Object.entries(doc)) {
        const r = await api.call('GET', `/v2.0/${path}?${new URLSearchParams({ [key]: String(value ?? '') })}`);
        expect(r.status, `${path} ${key}`).toBe(200);
        if (attributesOf(kind).sortable.has(key)) expect(r.body[Object.keys(r.body)[0]].map((x: Json) => x.id), `${path} ${key}`).toContain(doc.id);
      }
    }
  });
});

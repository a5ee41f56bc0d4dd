import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesOf } from '../../src/api/attributes.js';
import { ALICE, neutronError, TestApi, type Json } from './harness.js';

/** `GET /v1/hosts` answers list queries exactly like the /v2.0 collections. */
describe('/v1/hosts list queries', () => {
  let api: TestApi;
  let hosts: Json[];

  // Names out of creation order, with a tie on tunnel_ip so the id tiebreaker shows.
  const HOSTS: Array<[string, string | null]> = [
    ['compute3', '192.0.2.13'],
    ['compute1', '192.0.2.11'],
    ['network1', null],
    ['compute2', '192.0.2.12'],
    ['compute5', '192.0.2.13'],
    ['compute4', null],
  ];

  beforeAll(async () => {
    api = await TestApi.start();
    hosts = [];
    for (const [name, tunnel_ip] of HOSTS) {
      const r = await api.call('POST', '/v1/hosts', { host: { name, tunnel_ip, bridge_mappings: { physnet1: 'br-eth1' } } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      hosts.push(r.body.host);
    }
  });
  afterAll(() => api.stop());

  const ids = (list: Json[]): string[] => list.map((x) => x.id);
  const byId = (a: Json, b: Json): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  /** Expected order computed here: key by key (null first), then id. */
  const sortedBy = (...keys: Array<[string, 1 | -1]>): string[] =>
    ids([...hosts].sort((a, b) => {
      for (const [k, dir] of keys) {
        if (a[k] === b[k]) continue;
        if (a[k] === null || b[k] === null) return (a[k] === null ? -1 : 1) * dir;
        return (a[k] < b[k] ? -1 : 1) * dir;
      }
      return byId(a, b);
    }));

  async function list(path: string): Promise<Json> {
    const r = await api.call('GET', path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  it('keeps creation order and has no links without sort keys or limit', async () => {
    const body = await list('/v1/hosts');
    expect(ids(body.hosts)).toEqual(ids(hosts));
    expect(Object.keys(body)).toEqual(['hosts']);
  });

  it('sorts by name both ways, and by tunnel_ip (null first) then id', async () => {
    expect(ids((await list('/v1/hosts?sort_key=name&sort_dir=asc')).hosts)).toEqual(sortedBy(['name', 1]));
    expect(ids((await list('/v1/hosts?sort_key=name&sort_dir=desc')).hosts)).toEqual(sortedBy(['name', -1]));
    expect(ids((await list('/v1/hosts?sort_key=tunnel_ip&sort_dir=asc')).hosts)).toEqual(sortedBy(['tunnel_ip', 1]));
  });

  it('pages through with limit and marker, collecting every host exactly once, and filters still apply', async () => {
    for (const [query, expected] of [
      ['limit=2', sortedBy()],
      ['limit=4&sort_key=name&sort_dir=desc', sortedBy(['name', -1])],
      ['limit=1&sort_key=tunnel_ip&sort_dir=desc', sortedBy(['tunnel_ip', -1])],
    ] as const) {
      const seen: string[] = [];
      let marker = '';
      for (let i = 0; i < 20; i++) {
        const page = ids((await list(`/v1/hosts?${query}${marker}`)).hosts);
        if (page.length === 0) break;
        seen.push(...page);
        marker = `&marker=${page.at(-1)}`;
      }
      expect(seen, query).toEqual(expected);
    }
    const computes = ids(hosts.filter((h) => h.tunnel_ip !== null).sort(byId));
    const filtered = await list(`/v1/hosts?tunnel_ip=192.0.2.11&tunnel_ip=192.0.2.12&tunnel_ip=192.0.2.13&limit=3&marker=${computes[0]}`);
    expect(ids(filtered.hosts)).toEqual(computes.slice(1, 4));
  });

  it('links next and previous like the /v2.0 collections, keeping the other parameters', async () => {
    const [first, second] = sortedBy();
    const full = await list('/v1/hosts?limit=2&fields=name&fields=id');
    expect(full.hosts).toEqual([{ name: expect.any(String), id: first }, { name: expect.any(String), id: second }]);
    expect(full.hosts_links).toEqual([
      { rel: 'next', href: `${api.url}/v1/hosts?limit=2&fields=name&fields=id&marker=${second}` },
      { rel: 'previous', href: `${api.url}/v1/hosts?limit=2&fields=name&fields=id&marker=${first}&page_reverse=True` },
    ]);
    const last = await list('/v1/hosts?limit=4&page_reverse=True');
    expect(ids(last.hosts)).toEqual(sortedBy().slice(-4));
    const previous = last.hosts_links.find((l: Json) => l.rel === 'previous');
    expect(ids((await list(previous.href.slice(api.url.length))).hosts)).toEqual(sortedBy().slice(0, 2));
  });

  it('refuses a filter on an attribute hosts do not have, and an unsortable key, with 400', async () => {
    expect(neutronError(await api.call('GET', '/v1/hosts?colour=red'), 400)).toBe("['colour'] is invalid attribute for filtering");
    expect(neutronError(await api.call('GET', '/v1/hosts?network_id=x'), 400)).toBe("['network_id'] is invalid attribute for filtering");
    expect(neutronError(await api.call('GET', '/v1/hosts?sort_key=bridge_mappings&sort_dir=asc'), 400))
      .toBe("['bridge_mappings'] is invalid attribute for sort_keys");
    expect(neutronError(await api.call('GET', '/v1/hosts?limit=x'), 400)).toMatch(/Limit must be an integer 0 or greater/);
  });

  it('answers an unknown marker with 404 HostNotFound, and ignores a marker without a limit', async () => {
    const missing = 'f0000000-0000-4000-8000-000000000000';
    const r = await api.call('GET', `/v1/hosts?limit=2&marker=${missing}`);
    neutronError(r, 404);
    expect(r.body.NeutronError.type).toBe('HostNotFound');
    expect(ids((await list(`/v1/hosts?marker=${missing}`)).hosts)).toEqual(ids(hosts));
  });

  it('refuses a member with 403 before looking at the query', async () => {
    expect(neutronError(await api.call('GET', '/v1/hosts?colour=red', undefined, ALICE), 403)).toMatch(/disallowed by policy/);
  });

  it('declares every attribute a host shows, and finds the host by each scalar one', async () => {
    const host = hosts[1];
    const attrs = attributesOf('host');
    expect(Object.keys(host).filter((k) => !attrs.all.has(k))).toEqual([]);
    for (const [key, value] of Object.entries(host)) {
      const body = await list(`/v1/hosts?${new URLSearchParams({ [key]: String(value ?? '') })}`);
      if (attrs.sortable.has(key)) expect(ids(body.hosts), key).toContain(host.id);
    }
  });
});

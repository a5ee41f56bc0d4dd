import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, neutronError, TestApi, type Json } from './harness.js';

/** Sorting, paging and filter validation of list queries over HTTP, on networks and ports. */
describe('list sorting, pagination and filter validation over HTTP', () => {
  let api: TestApi;
  let nets: Json[];
  let ports: Json[];
  let portNet: Json;

  const NET_NAMES = ['delta', 'alpha', 'charlie', 'alpha', 'bravo', 'echo', 'charlie'];
  const PORT_NAMES = ['p3', 'p1', 'p2', 'p1', 'p4'];
  const OWNERS = ['compute:nova', '', 'compute:nova', 'network:dhcp', ''];

  beforeAll(async () => {
    api = await TestApi.start();
    nets = [];
    for (const [i, name] of NET_NAMES.entries()) {
      nets.push(await api.create('networks', 'network', { name, mtu: 1400 + ((i * 3) % 5) }));
    }
    portNet = nets[0];
    ports = [];
    for (const [i, name] of PORT_NAMES.entries()) {
      ports.push(await api.create('ports', 'port', { name, network_id: portNet.id, device_owner: OWNERS[i] }));
    }
  });
  afterAll(() => api.stop());

  const ids = (list: Json[]): string[] => list.map((x) => x.id);
  const byId = (a: Json, b: Json): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  /** What the API must answer, computed here independently: key by key, then id. */
  const sortedBy = (list: Json[], ...keys: Array<[string, 1 | -1]>): string[] =>
    ids([...list].sort((a, b) => {
      for (const [k, dir] of keys) if (a[k] !== b[k]) return (a[k] < b[k] ? -1 : 1) * dir;
      return byId(a, b);
    }));

  async function list(path: string): Promise<Json> {
    const r = await api.call('GET', path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  /** Follows `rel` links from `path` until there is none; returns the ids of every page in walking order. */
  async function walk(path: string, collection: string, rel: 'next' | 'previous'): Promise<string[][]> {
    const pages: string[][] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const body = await list(next);
      pages.push(ids(body[collection]));
      const link = (body[`${collection}_links`] as Json[]).find((l) => l.rel === rel);
      if (link) expect(link.href.startsWith(`${api.url}/v2.0/`)).toBe(true);
      next = link ? link.href.slice(api.url.length) : undefined;
      expect(pages.length).toBeLessThan(20);
    }
    return pages;
  }

  describe('networks', () => {
    it('sorts by name ascending and descending, ties broken by id', async () => {
      expect(ids((await list('/v2.0/networks?sort_key=name&sort_dir=asc')).networks)).toEqual(sortedBy(nets, ['name', 1]));
      expect(ids((await list('/v2.0/networks?sort_key=name&sort_dir=desc')).networks)).toEqual(sortedBy(nets, ['name', -1]));
    });

    it('sorts by a second key in its own direction', async () => {
      const body = await list('/v2.0/networks?sort_key=name&sort_dir=asc&sort_key=mtu&sort_dir=desc');
      expect(ids(body.networks)).toEqual(sortedBy(nets, ['name', 1], ['mtu', -1]));
      expect(body.networks_links).toBeUndefined();
    });

    it('keeps creation order and has no links without sort keys and limit (what the CLI relies on)', async () => {
      const body = await list('/v2.0/networks');
      expect(ids(body.networks)).toEqual(ids(nets));
      expect(Object.keys(body)).toEqual(['networks']);
      expect(Object.keys(await list('/v2.0/networks?limit=0'))).toEqual(['networks']);
    });

    it('walks every network exactly once, in order, by following next links', async () => {
      for (const [query, expected] of [
        ['limit=2', sortedBy(nets)],
        ['limit=3&sort_key=name&sort_dir=desc&sort_key=mtu&sort_dir=asc', sortedBy(nets, ['name', -1], ['mtu', 1])],
        ['limit=1&sort_key=mtu&sort_dir=asc', sortedBy(nets, ['mtu', 1])],
        ['limit=7', sortedBy(nets)],
      ] as const) {
        const pages = await walk(`/v2.0/networks?${query}`, 'networks', 'next');
        const limit = Number(/limit=(\d+)/.exec(query)?.[1]);
        expect(pages.flat(), query).toEqual(expected);
        expect(pages.every((p) => p.length <= limit)).toBe(true);
      }
    });

    it('walks with the marker set by hand, and keeps filters in the links', async () => {
      const expected = sortedBy(nets.filter((n) => n.name !== 'echo'), ['name', 1]);
      const seen: string[] = [];
      let marker = '';
      for (;;) {
        const body = await list(`/v2.0/networks?name=alpha&name=bravo&name=charlie&name=delta&sort_key=name&sort_dir=asc&limit=2${marker}`);
        if (body.networks.length === 0) break;
        seen.push(...ids(body.networks));
        const next = body.networks_links.find((l: Json) => l.rel === 'next');
        if (next) expect(next.href).toContain('name=alpha&name=bravo&name=charlie&name=delta&sort_key=name&sort_dir=asc&limit=2');
        marker = `&marker=${seen.at(-1)}`;
      }
      expect(seen).toEqual(expected);
    });

    it('pages backwards with page_reverse, following previous links from the end', async () => {
      const expected = sortedBy(nets, ['name', 1]);
      const last = await list('/v2.0/networks?sort_key=name&sort_dir=asc&limit=3&page_reverse=True');
      expect(ids(last.networks)).toEqual(expected.slice(-3));
      const pages = await walk('/v2.0/networks?sort_key=name&sort_dir=asc&limit=3&page_reverse=True', 'networks', 'previous');
      expect(pages.reverse().flat()).toEqual(expected);
      const before = await list(`/v2.0/networks?sort_key=name&sort_dir=asc&limit=2&marker=${expected[4]}&page_reverse=true`);
      expect(ids(before.networks)).toEqual(expected.slice(2, 4));
    });

    it('links next and previous on a full page and only previous on a short one, as Neutron does', async () => {
      const full = await list('/v2.0/networks?limit=2&fields=name');
      expect(full.networks).toEqual([{ name: expect.any(String) }, { name: expect.any(String) }]);
      const [first, second] = sortedBy(nets);
      expect(full.networks_links).toEqual([
        { rel: 'next', href: `${api.url}/v2.0/networks?limit=2&fields=name&marker=${second}` },
        { rel: 'previous', href: `${api.url}/v2.0/networks?limit=2&fields=name&marker=${first}&page_reverse=True` },
      ]);
      const short = await list('/v2.0/networks?limit=50');
      expect(short.networks).toHaveLength(nets.length);
      expect(short.networks_links.map((l: Json) => l.rel)).toEqual(['previous']);
      const reversedShort = await list('/v2.0/networks?limit=50&page_reverse=True');
      expect(reversedShort.networks_links.map((l: Json) => l.rel)).toEqual(['next']);
    });

    it('refuses bad sorting, paging and filters with a 400 NeutronError, and changes nothing', async () => {
      const before = await api.snapshot();
      const bad: Array<[string, string | RegExp]> = [
        ['sort_key=name&sort_dir=up', "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'"],
        ['sort_key=colour&sort_dir=asc', "['colour'] is invalid attribute for sort_keys"],
        ['sort_key=subnets&sort_dir=asc', "['subnets'] is invalid attribute for sort_keys"],
        ['sort_key=name', 'The number of sort_keys and sort_dirs must be same'],
        ['sort_dir=asc', 'The number of sort_keys and sort_dirs must be same'],
        ['limit=-1', "Bad limit request: Limit must be an integer 0 or greater and not '-1'."],
        ['limit=two', /Limit must be an integer 0 or greater/],
        ['limit=', /Limit must be an integer 0 or greater/],
        ['colour=red', "['colour'] is invalid attribute for filtering"],
        ['name=alpha&colour=red&sort_key=name&sort_dir=asc', "['colour'] is invalid attribute for filtering"],
      ];
      for (const [query, message] of bad) {
        const r = await api.call('GET', `/v2.0/networks?${query}`);
        const text = neutronError(r, 400);
        if (typeof message === 'string') expect(text, query).toBe(message);
        else expect(text, query).toMatch(message);
      }
      expect(await api.snapshot()).toEqual(before);
    });

    it('answers an unknown marker with 404 NetworkNotFound, and ignores a marker without a limit', async () => {
      const missing = 'f0000000-0000-4000-8000-000000000000';
      const r = await api.call('GET', `/v2.0/networks?limit=2&marker=${missing}`);
      expect(neutronError(r, 404)).toBe(`Network ${missing} could not be found.`);
      expect(r.body.NeutronError.type).toBe('NetworkNotFound');
      neutronError(await api.call('GET', `/v2.0/networks?limit=2&marker=${ports[0].id}`), 404); // a port is no network
      expect(ids((await list(`/v2.0/networks?marker=${missing}`)).networks)).toEqual(ids(nets));
    });

    it('treats a marker the caller may not see as unknown', async () => {
      const own = await api.create('networks', 'network', { name: 'alice-net' }, ALICE);
      try {
        const r = await api.call('GET', `/v2.0/networks?limit=1&marker=${nets[0].id}`, undefined, ALICE);
        expect(neutronError(r, 404)).toMatch(/could not be found/);
        const mine = await api.call('GET', `/v2.0/networks?limit=1&marker=${own.id}&page_reverse=True`, undefined, ALICE);
        expect(mine.body.networks).toEqual([]);
      } finally {
        await api.call('DELETE', `/v2.0/networks/${own.id}`, undefined, ALICE);
      }
    });

    it('still accepts every filter the existing clients send', async () => {
      for (const query of ['name=alpha', 'id=x&id=y', 'admin_state_up=True', 'provider:network_type=vxlan', 'router:external=False',
        'shared=False', 'project_id=admin', 'tenant_id=admin', 'status=ACTIVE', 'tags=blue', 'tags-any=a,b', 'not-tags=x',
        'not-tags-any=y', 'fields=id&fields=name', 'subnets=x', 'revision_number=0', 'description=']) {
        expect((await api.call('GET', `/v2.0/networks?${query}`)).status, query).toBe(200);
      }
    });
  });

  describe('ports', () => {
    it('sorts by name and by device_owner then name', async () => {
      expect(ids((await list('/v2.0/ports?sort_key=name&sort_dir=asc')).ports)).toEqual(sortedBy(ports, ['name', 1]));
      expect(ids((await list('/v2.0/ports?sort_key=name&sort_dir=desc')).ports)).toEqual(sortedBy(ports, ['name', -1]));
      const two = await list('/v2.0/ports?sort_key=device_owner&sort_dir=desc&sort_key=name&sort_dir=asc');
      expect(ids(two.ports)).toEqual(sortedBy(ports, ['device_owner', -1], ['name', 1]));
    });

    it('walks every port of a network exactly once, forwards and backwards', async () => {
      const expected = sortedBy(ports, ['name', 1]);
      const query = `network_id=${portNet.id}&sort_key=name&sort_dir=asc&limit=2`;
      expect((await walk(`/v2.0/ports?${query}`, 'ports', 'next')).flat()).toEqual(expected);
      expect((await walk(`/v2.0/ports?${query}&page_reverse=True`, 'ports', 'previous')).reverse().flat()).toEqual(expected);
      expect((await walk('/v2.0/ports?limit=4', 'ports', 'next')).flat()).toEqual(sortedBy(ports));
    });

    it('keeps element filters (fixed_ips=) working alongside paging', async () => {
      const body = await list('/v2.0/ports?fixed_ips=subnet_id=none&limit=1');
      expect(body.ports).toEqual([]);
      expect(body.ports_links.map((l: Json) => l.rel)).toEqual(['previous']);
    });

    it('refuses an unknown filter or bad sorting with 400 and an unknown marker with 404 PortNotFound, changing nothing', async () => {
      const before = await api.snapshot();
      expect(neutronError(await api.call('GET', '/v2.0/ports?colour=red'), 400)).toBe("['colour'] is invalid attribute for filtering");
      expect(neutronError(await api.call('GET', `/v2.0/ports?network_id=${portNet.id}&ip_address=10.0.0.1`), 400)).toBe(
        "['ip_address'] is invalid attribute for filtering",
      );
      expect(neutronError(await api.call('GET', '/v2.0/ports?sort_key=fixed_ips&sort_dir=asc'), 400)).toMatch(/sort_keys/);
      expect(neutronError(await api.call('GET', '/v2.0/ports?sort_key=name&sort_dir=descending'), 400)).toMatch(/sort_dirs/);
      expect(neutronError(await api.call('GET', '/v2.0/ports?limit=1.5'), 400)).toMatch(/Limit/);
      const r = await api.call('GET', `/v2.0/ports?limit=1&marker=${portNet.id}`);
      expect(neutronError(r, 404)).toBe(`Port ${portNet.id} could not be found.`);
      expect(r.body.NeutronError.type).toBe('PortNotFound');
      expect(await api.snapshot()).toEqual(before);
    });
  });
});

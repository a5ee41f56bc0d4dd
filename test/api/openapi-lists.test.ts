import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutronError, TestApi, type Json } from './harness.js';

/** The OpenAPI document describes every list route's query parameters, and the server accepts what it documents. */
describe('OpenAPI description of list queries', () => {
  let api: TestApi;
  let doc: Json;

  const LIST_PATHS = [
    '/v2.0/networks', '/v2.0/subnets', '/v2.0/ports', '/v2.0/routers', '/v2.0/floatingips', '/v2.0/security-groups',
    '/v2.0/security-group-rules', '/v1/hosts',
  ];
  const SHAPING = ['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir'];
  const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'];

  beforeAll(async () => {
    api = await TestApi.start();
    doc = (await api.call('GET', '/v1/openapi.json', undefined, null)).body;
  });
  afterAll(() => api.stop());

  const queryParams = (path: string): Json[] => (doc.paths[path].get?.parameters ?? []).filter((p: Json) => p.in === 'query');
  const param = (path: string, name: string): Json => queryParams(path).find((p: Json) => p.name === name);
  /** The documented attribute filters: every query parameter that neither shapes the answer nor filters by tag. */
  const filters = (path: string): string[] =>
    queryParams(path).map((p: Json) => p.name).filter((n: string) => !SHAPING.includes(n) && !TAG_FILTERS.includes(n));

  it('documents paging, sorting, projection and tag filters on exactly the list routes', () => {
    const documented = Object.keys(doc.paths).filter((path) => param(path, 'limit') !== undefined);
    expect(documented.sort()).toEqual([...LIST_PATHS].sort());
    for (const path of LIST_PATHS) {
      const names = queryParams(path).map((p: Json) => p.name);
      for (const name of [...SHAPING, ...TAG_FILTERS]) expect(names, `${path} ${name}`).toContain(name);
      expect(new Set(names).size, path).toBe(names.length);
    }
    expect(doc.paths['/v2.0/networks/{id}'].get.parameters.filter((p: Json) => p.in === 'query')).toEqual([]);
  });

  it('describes the parameters of /v2.0/networks from its attributes', () => {
    const path = '/v2.0/networks';
    expect(param(path, 'limit').schema).toEqual({ type: 'integer', minimum: 0 });
    expect(param(path, 'sort_dir').schema.items.enum).toEqual(['asc', 'desc']);
    const sortKeys = param(path, 'sort_key').schema.items.enum;
    expect(sortKeys).toEqual(expect.arrayContaining(['id', 'name', 'mtu', 'provider:network_type', 'status']));
    expect(sortKeys).not.toContain('subnets');
    expect(sortKeys).not.toContain('tags');
    expect(filters(path)).toEqual(expect.arrayContaining(['id', 'name', 'shared', 'router:external', 'subnets', 'status']));
    expect(param(path, 'name')).toMatchObject({ style: 'form', explode: true, schema: { type: 'array' } });
    expect(param(path, 'tags-any')).toMatchObject({ style: 'form', explode: false });
  });

  it('describes the list answer with its <collection>_links', () => {
    for (const path of LIST_PATHS) {
      const plural = path.split('/')[2].replace(/-/g, '_');
      const schema = doc.paths[path].get.responses['200'].content['application/json'].schema;
      expect(schema.required, path).toEqual([plural]);
      expect(schema.properties[plural].type, path).toBe('array');
      expect(schema.properties[`${plural}_links`].items.properties.rel.enum, path).toEqual(['next', 'previous']);
    }
  });

  it('accepts a filter on every documented attribute, every tag filter and every documented sort key', async () => {
    for (const path of LIST_PATHS) {
      expect(filters(path).length, path).toBeGreaterThan(3);
      for (const name of [...filters(path), ...TAG_FILTERS]) {
        const r = await api.call('GET', `${path}?${new URLSearchParams({ [name]: 'x' })}`);
        expect(r.status, `${path}?${name}=x ${JSON.stringify(r.body)}`).toBe(200);
      }
      for (const key of param(path, 'sort_key').schema.items.enum) {
        const r = await api.call('GET', `${path}?${new URLSearchParams({ sort_key: key, sort_dir: 'desc', limit: '1' })}`);
        expect(r.status, `${path} sort_key=${key}`).toBe(200);
      }
    }
  });

  it('documents no filter the server would refuse, and the server refuses what is not documented', async () => {
    for (const path of LIST_PATHS) {
      expect(filters(path), path).not.toContain('colour');
      neutronError(await api.call('GET', `${path}?colour=x`), 400);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { attributesOf } from '../../src/api/attributes.js';
import { compareBy, compareValues, withIdTiebreaker } from '../../src/api/list-order.js';
import { pageLinks, pageOf } from '../../src/api/list-page.js';
import { parseListParams, type ListParams } from '../../src/api/list-params.js';
import { queryList } from '../../src/api/list-query.js';
import { NeutronError } from '../../src/store/errors.js';

const NETWORK = attributesOf('network');
const URL_BASE = 'http://127.0.0.1:9696/v2.0/networks';

/** The NeutronError a call throws, as [status, type, message]. */
function refusal(f: () => unknown): [number, string, string] {
  try {
    f();
  } catch (err) {
    if (err instanceof NeutronError) return [err.status, err.type, err.message];
    throw err;
  }
  throw new Error('expected a NeutronError');
}

// ids sort a < b < … so the id tiebreaker is easy to read.
const items = [
  { id: 'e', name: 'web', mtu: 1450, shared: false, 'provider:physical_network': null },
  { id: 'a', name: 'db', mtu: 1500, shared: true, 'provider:physical_network': 'physnet1' },
  { id: 'd', name: 'web', mtu: 1400, shared: false, 'provider:physical_network': null },
  { id: 'b', name: 'app', mtu: 1450, shared: true, 'provider:physical_network': 'physnet2' },
  { id: 'c', name: 'db', mtu: 1450, shared: false, 'provider:physical_network': null },
];
const ids = (list: Array<Record<string, unknown>>): unknown[] => list.map((i) => i.id);
const params = (p: Partial<ListParams>): ListParams => ({ sorts: [], limit: undefined, marker: undefined, pageReverse: false, ...p });

describe('declared resource attributes', () => {
  it('hold the create schema, the standard and the view-only attributes; compound ones do not sort', () => {
    for (const a of ['id', 'name', 'status', 'subnets', 'tags', 'provider:network_type', 'created_at', 'revision_number']) {
      expect(NETWORK.all.has(a), a).toBe(true);
    }
    expect(NETWORK.all.has('colour')).toBe(false);
    expect(NETWORK.sortable.has('name')).toBe(true);
    expect(NETWORK.sortable.has('provider:segmentation_id')).toBe(true);
    expect(NETWORK.sortable.has('subnets')).toBe(false);
    expect(NETWORK.sortable.has('tags')).toBe(false);
    const port = attributesOf('port');
    expect(port.all.has('fixed_ips') && !port.sortable.has('fixed_ips')).toBe(true);
    expect(port.sortable.has('binding:host_id')).toBe(true);
  });
});

describe('parseListParams', () => {
  it('reads no paging and no sorting from a plain query', () => {
    expect(parseListParams({ name: 'x', fields: 'id', tags: 'a', 'not-tags-any': 'b' }, NETWORK)).toEqual(params({}));
  });

  it('pairs sort_key with sort_dir in order, dropping empty values', () => {
    const p = parseListParams({ sort_key: ['name', '', 'mtu'], sort_dir: ['desc', 'asc'] }, NETWORK);
    expect(p.sorts).toEqual([{ key: 'name', asc: false }, { key: 'mtu', asc: true }]);
  });

  it('reads limit, marker (only with a limit) and page_reverse, each by its last value', () => {
    expect(parseListParams({ limit: ['9', ' 3 '], marker: 'm', page_reverse: 'TRUE' }, NETWORK)).toEqual(
      params({ limit: 3, marker: 'm', pageReverse: true }),
    );
    expect(parseListParams({ limit: '0', marker: 'm' }, NETWORK)).toEqual(params({})); // 0 = no limit, as in Neutron
    expect(parseListParams({ marker: 'm', page_reverse: 'yes' }, NETWORK)).toEqual(params({}));
  });

  it('refuses a filter on an unknown attribute, naming every one', () => {
    expect(refusal(() => parseListParams({ colour: 'red', name: 'x', size: '1' }, NETWORK))).toEqual([
      400, 'HTTPBadRequest', "['colour', 'size'] is invalid attribute for filtering",
    ]);
  });

  it('refuses unpaired, unknown or unsortable sort keys and bad directions with Neutron\'s messages', () => {
    expect(refusal(() => parseListParams({ sort_key: 'name' }, NETWORK))).toEqual([
      400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same',
    ]);
    expect(refusal(() => parseListParams({ sort_key: ['name', 'colour', 'subnets'], sort_dir: ['asc', 'asc', 'asc'] }, NETWORK)))
      .toEqual([400, 'HTTPBadRequest', "['colour', 'subnets'] is invalid attribute for sort_keys"]);
    expect(refusal(() => parseListParams({ sort_key: 'name', sort_dir: 'up' }, NETWORK))).toEqual([
      400, 'HTTPBadRequest', "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'",
    ]);
    expect(refusal(() => parseListParams({ sort_key: 'name', sort_dir: 'ASC' }, NETWORK))[2]).toMatch(/\['ASC'\]/);
  });

  it('refuses a limit that is not an integer 0 or greater', () => {
    for (const bad of ['-1', 'abc', '1.5', '', '2x', '99999999999999999999']) {
      expect(refusal(() => parseListParams({ limit: bad }, NETWORK))).toEqual([
        400, 'BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${bad}'.`,
      ]);
    }
  });

  it('checks filters before sorting before the limit, as Neutron does', () => {
    const paging = { sort_key: 'nope', sort_dir: 'asc', limit: '-1' };
    expect(refusal(() => parseListParams({ colour: 'x', ...paging }, NETWORK))[2]).toMatch(/filtering/);
    expect(refusal(() => parseListParams(paging, NETWORK))[2]).toMatch(/sort_keys/);
    expect(refusal(() => parseListParams({ ...paging, sort_key: 'name' }, NETWORK))[2]).toMatch(/Limit/);
  });
});

describe('sorting', () => {
  it('orders null first, booleans false first, numbers numerically, strings by code point', () => {
    expect(compareValues(null, 'a')).toBe(-1);
    expect(compareValues(undefined, null)).toBe(0);
    expect(compareValues(false, true)).toBe(-1);
    expect(compareValues(9, 10)).toBe(-1);
    expect(compareValues('B', 'a')).toBe(-1);
    expect(compareValues('tcp', 6)).toBe(1); // mixed types compare as strings
  });

  it('sorts by several keys in their directions with the id tiebreaker', () => {
    const by = (sorts: Parameters<typeof compareBy>[0]): unknown[] => ids([...items].sort(compareBy(withIdTiebreaker(sorts))));
    expect(by([{ key: 'name', asc: true }])).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(by([{ key: 'name', asc: false }])).toEqual(['d', 'e', 'a', 'c', 'b']);
    expect(by([{ key: 'name', asc: true }, { key: 'mtu', asc: false }])).toEqual(['b', 'a', 'c', 'e', 'd']);
    expect(by([{ key: 'provider:physical_network', asc: true }])).toEqual(['c', 'd', 'e', 'a', 'b']);
    expect(withIdTiebreaker([{ key: 'id', asc: false }])).toEqual([{ key: 'id', asc: false }]);
  });
});

describe('pageOf', () => {
  const compare = compareBy([{ key: 'id', asc: true }]);
  const sorted = [...items].sort(compare); // a b c d e

  it('gives the items after the marker, or before it when reversed, in sorted order', () => {
    expect(ids(pageOf(sorted, compare, 2, undefined, false))).toEqual(['a', 'b']);
    expect(ids(pageOf(sorted, compare, 2, { id: 'b' }, false))).toEqual(['c', 'd']);
    expect(ids(pageOf(sorted, compare, 2, { id: 'd' }, false))).toEqual(['e']);
    expect(ids(pageOf(sorted, compare, 2, { id: 'e' }, false))).toEqual([]);
    expect(ids(pageOf(sorted, compare, 2, { id: 'd' }, true))).toEqual(['b', 'c']);
    expect(ids(pageOf(sorted, compare, 2, { id: 'b' }, true))).toEqual(['a']);
    expect(ids(pageOf(sorted, compare, 2, undefined, true))).toEqual(['d', 'e']);
  });

  it('places a marker that is not in the list by its sort values', () => {
    expect(ids(pageOf(sorted, compare, 2, { id: 'bb' }, false))).toEqual(['c', 'd']);
    expect(ids(pageOf(sorted, compare, 2, { id: 'bb' }, true))).toEqual(['a', 'b']);
  });
});

describe('pageLinks', () => {
  const url = `${URL_BASE}?name=x&limit=2&marker=old&sort_key=name&sort_dir=asc&page_reverse=False`;
  const page = [{ id: 'p1' }, { id: 'p2' }];

  it('links next from the last item and previous (page_reverse=True) from the first, keeping the other parameters', () => {
    expect(pageLinks(url, page, 2, false)).toEqual([
      { rel: 'next', href: `${URL_BASE}?name=x&limit=2&sort_key=name&sort_dir=asc&marker=p2` },
      { rel: 'previous', href: `${URL_BASE}?name=x&limit=2&sort_key=name&sort_dir=asc&marker=p1&page_reverse=True` },
    ]);
  });

  it('drops next after a short forward page and previous after a short reversed page', () => {
    expect(pageLinks(url, page, 3, false).map((l) => l.rel)).toEqual(['previous']);
    expect(pageLinks(url, page, 3, true).map((l) => l.rel)).toEqual(['next']);
    expect(pageLinks(url, [], 3, false)).toEqual([{ rel: 'previous', href: `${URL_BASE}?name=x&limit=2&sort_key=name&sort_dir=asc&page_reverse=True` }]);
  });

  it('encodes parameters the way Python\'s urlencode does', () => {
    const [next] = pageLinks(`${URL_BASE}?provider:network_type=vlan&name=a%20b&limit=1`, [{ id: 'p' }], 1, false);
    expect(next.href).toBe(`${URL_BASE}?provider%3Anetwork_type=vlan&name=a+b&limit=1&marker=p`);
  });
});

describe('queryList', () => {
  const list = (query: Record<string, string | string[]>, marker?: Record<string, unknown>): ReturnType<typeof queryList> =>
    queryList(items, query, parseListParams(query, NETWORK), marker, `${URL_BASE}?x=1`);

  it('keeps the store order with no sort keys and no limit, and has no links', () => {
    expect(list({})).toEqual({ items, links: [] });
    expect(ids(list({ shared: 'false' }).items)).toEqual(['e', 'd', 'c']);
  });

  it('filters, sorts, pages and projects only the page', () => {
    const r = list({ shared: 'false', sort_key: 'name', sort_dir: 'desc', limit: '2', fields: 'name' });
    expect(r.items).toEqual([{ name: 'web' }, { name: 'web' }]);
    expect(r.links.map((l) => l.href)).toEqual([`${URL_BASE}?x=1&marker=e`, `${URL_BASE}?x=1&marker=d&page_reverse=True`]);
  });

  it('pages by id when there are no sort keys, as Neutron does', () => {
    expect(ids(list({ limit: '3' }).items)).toEqual(['a', 'b', 'c']);
    expect(ids(list({ limit: '3', marker: 'c' }, items[4]).items)).toEqual(['d', 'e']);
  });

  it('leaves the caller\'s array in its order', () => {
    const before = ids(items);
    list({ sort_key: 'name', sort_dir: 'asc' });
    expect(ids(items)).toEqual(before);
  });
});

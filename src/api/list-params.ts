import { badRequest } from '../store/errors.js';
import type { ResourceAttributes } from './attributes.js';
import { asList, filterKeys, type Query } from './list-filter.js';

export interface SortKey {
  key: string;
  asc: boolean;
}

/** A list query's sorting and paging, validated. */
export interface ListParams {
  /** As asked, in order; the `id` tiebreaker is added when sorting. */
  sorts: SortKey[];
  /** Page size; undefined (no `limit`, or `limit=0`) returns the whole list. */
  limit: number | undefined;
  /** Only meaningful with a limit (Neutron ignores a marker without one). */
  marker: string | undefined;
  pageReverse: boolean;
}

/**
 * Validates a list query against the resource's attributes in Neutron's order (filters, sorting, limit) and with
 * Neutron's messages, which name the offending values as a Python list, e.g. "['colour'] is invalid attribute for
 * filtering".
 */
export function parseListParams(query: Query, attrs: ResourceAttributes): ListParams {
  const unknown = filterKeys(query).filter((k) => !attrs.all.has(k));
  if (unknown.length) throw badRequest(`${pyList(unknown)} is invalid attribute for filtering`, 'HTTPBadRequest');
  const sorts = parseSorts(query, attrs);
  const limit = parseLimit(last(query.limit));
  return {
    sorts,
    limit: limit || undefined,
    marker: limit ? last(query.marker) || undefined : undefined,
    pageReverse: (last(query.page_reverse) ?? '').toLowerCase() === 'true',
  };
}

function parseSorts(query: Query, attrs: ResourceAttributes): SortKey[] {
  // Empty values are dropped, as Neutron's list_args does.
  const keys = asList(query.sort_key).filter(Boolean);
  const dirs = asList(query.sort_dir).filter(Boolean);
  if (keys.length !== dirs.length) throw badRequest('The number of sort_keys and sort_dirs must be same', 'HTTPBadRequest');
  const badKeys = keys.filter((k) => !attrs.sortable.has(k));
  if (badKeys.length) throw badRequest(`${pyList(badKeys)} is invalid attribute for sort_keys`, 'HTTPBadRequest');
  const badDirs = dirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length) {
    throw badRequest(`${pyList(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`, 'HTTPBadRequest');
  }
  return keys.map((key, i) => ({ key, asc: dirs[i] === 'asc' }));
}

/** Neutron reads `limit` with Python's int(): an integer ≥ 0, surrounding spaces allowed; 0 means no limit. */
function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw badRequest(`Bad limit request: Limit must be an integer 0 or greater and not '${raw}'.`);
  }
  return n;
}

/** A repeated single-valued parameter counts by its last value (WebOb's MultiDict.get). */
const last = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

const pyList = (values: string[]): string => `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;

/**
 * Neutron list filters: `?field=value` equality on a field (a repeated field matches any of its values) and
 * `tags`/`tags-any`/`not-tags`/`not-tags-any` (comma lists).
 */

export type Query = Record<string, string | string[] | undefined>;
export type Item = Record<string, unknown>;

/** Query parameters that shape the answer rather than filter it (Neutron's `skips`). */
export const NOT_FILTERS: ReadonlySet<string> = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse']);
export const TAG_FILTERS: ReadonlySet<string> = new Set(['tags', 'tags-any', 'not-tags', 'not-tags-any']);

export const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The attribute filters of a query: every key but the paging, sorting, projection and tag parameters. */
export function filterKeys(query: Query): string[] {
  return Object.keys(query).filter((k) => !NOT_FILTERS.has(k) && !TAG_FILTERS.has(k));
}

/** A predicate for the query's filters, built once and applied in one pass over the items. */
export function matcherFor(query: Query): (item: Item) => boolean {
  const filters = filterKeys(query).map((k) => [k, asList(query[k])] as const);
  const tagRules = Object.keys(query)
    .filter((k) => TAG_FILTERS.has(k))
    .map((k) => [k, asList(query[k]).flatMap((v) => v.split(','))] as const);
  return (item) =>
    filters.every(([field, wanted]) => wanted.some((w) => fieldMatches(item[field], w))) &&
    tagRules.every(([rule, wanted]) => tagsMatch(item.tags, rule, wanted));
}

function fieldMatches(value: unknown, wanted: string): boolean {
  if (value === null || value === undefined) return wanted === '' || wanted === 'None';
  if (typeof value === 'boolean') return String(value) === wanted.toLowerCase();
  if (typeof value === 'string' || typeof value === 'number') return String(value) === wanted;
  if (Array.isArray(value)) {
    // `fixed_ips=ip_address=10.0.0.5` and `fixed_ips=subnet_id=…` match an element's attribute.
    const eq = wanted.indexOf('=');
    if (eq > 0) {
      const [key, v] = [wanted.slice(0, eq), wanted.slice(eq + 1)];
      return value.some((e) => e !== null && typeof e === 'object' && String((e as Item)[key]) === v);
    }
    return value.some((e) => String(e) === wanted);
  }
  return JSON.stringify(value) === wanted;
}

function tagsMatch(tags: unknown, rule: string, wanted: string[]): boolean {
  const have = new Set(Array.isArray(tags) ? (tags as string[]) : []);
  const all = wanted.every((t) => have.has(t));
  const any = wanted.some((t) => have.has(t));
  switch (rule) {
    case 'tags':
      return all;
    case 'tags-any':
      return any;
    case 'not-tags':
      return !all;
    default:
      return !any;
  }
}

/**
 * Neutron list queries: `?field=value` equality filters on any field (a repeated field matches any of its values),
 * `fields=` to project, `tags`/`tags-any`/`not-tags`/`not-tags-any` (comma lists). Paging and sorting
 * parameters are accepted and ignored: every list is returned whole, in creation order.
 */

type Query = Record<string, string | string[] | undefined>;
type Item = Record<string, unknown>;

const IGNORED = new Set(['limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse', 'fields']);
const TAG_FILTERS = new Set(['tags', 'tags-any', 'not-tags', 'not-tags-any']);

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function applyListQuery<T>(items: T[], query: Query): Item[] {
  const filters = Object.entries(query).filter(([k]) => !IGNORED.has(k) && !TAG_FILTERS.has(k));
  const tagRules = Object.entries(query).filter(([k]) => TAG_FILTERS.has(k));
  const matched = (items as Item[]).filter(
    (item) =>
      filters.every(([field, wanted]) => asList(wanted).some((w) => fieldMatches(item[field], w))) &&
      tagRules.every(([rule, value]) => tagsMatch(item.tags, rule, asList(value).flatMap((v) => v.split(',')))),
  );
  return project(matched, asList(query.fields));
}

export function project(items: Item[], fields: string[]): Item[] {
  if (fields.length === 0) return items;
  return items.map((item) => Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])));
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

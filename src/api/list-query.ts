/**
 * Neutron list queries, as pure functions over the items the store lists: filters (list-filter.ts), `sort_key` /
 * `sort_dir` (list-order.ts), `limit` / `marker` / `page_reverse` with `<collection>_links` (list-page.ts),
 * validated by list-params.ts, and `fields=` to project.
 */
import { asList, matcherFor, type Item, type Query } from './list-filter.js';
import { compareBy, withIdTiebreaker } from './list-order.js';
import { pageLinks, pageOf, type PageLink } from './list-page.js';
import type { ListParams } from './list-params.js';

export interface ListAnswer {
  items: Item[];
  /** Empty unless paging. */
  links: PageLink[];
}

/**
 * Filters in one pass, sorts once (only when asked to, or to page: paging without sort keys is by `id`, as in
 * Neutron), pages, then projects only the page. Without sort keys or a limit the store's (creation) order stays.
 * `marker` is the marker's resource, already looked up (and 404ed) by the caller.
 */
export function queryList(
  items: unknown[],
  query: Query,
  params: ListParams,
  marker: Item | undefined,
  requestUrl: string,
): ListAnswer {
  const fields = asList(query.fields);
  const matched = (items as Item[]).filter(matcherFor(query));
  const sorts = params.sorts.length > 0 || params.limit ? withIdTiebreaker(params.sorts) : [];
  const compare = compareBy(sorts);
  if (sorts.length > 0) matched.sort(compare); // `matched` is filter()'s fresh array: sorting it in place is safe
  if (!params.limit) return { items: project(matched, fields), links: [] };
  const page = pageOf(matched, compare, params.limit, marker, params.pageReverse);
  return { items: project(page, fields), links: pageLinks(requestUrl, page, params.limit, params.pageReverse) };
}

export function project(items: Item[], fields: string[]): Item[] {
  if (fields.length === 0) return items;
  return items.map((item) => Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])));
}

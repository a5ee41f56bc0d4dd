import type { Item } from './list-filter.js';
import type { Compare } from './list-order.js';

export interface PageLink {
  rel: 'next' | 'previous';
  href: string;
}

/**
 * One page of a list already sorted by `compare`: the `limit` items after the marker, or with `pageReverse` the
 * `limit` items before it (still in sorted order). Like Neutron's native pagination, the marker is located by its
 * sort values, so it need not itself match the query's filters. Without a marker a reversed page is the last one.
 */
export function pageOf(sorted: Item[], compare: Compare, limit: number, marker: Item | undefined, pageReverse: boolean): Item[] {
  if (!pageReverse) {
    const start = marker ? firstIndex(sorted, (item) => compare(item, marker) > 0) : 0;
    return sorted.slice(start, start + limit);
  }
  const end = marker ? firstIndex(sorted, (item) => compare(item, marker) >= 0) : sorted.length;
  return sorted.slice(Math.max(0, end - limit), end);
}

/** First index whose item satisfies `after` (false…false true…true over a sorted list): a binary search. */
function firstIndex(sorted: Item[], after: (item: Item) => boolean): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(sorted[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Neutron's `<collection>_links` for a page (api_common.get_pagination_links): `next` unless a forward page came
 * back short, `previous` unless a reversed page came back short — so a full first page has a `previous` link too,
 * as in Neutron. Each href is the request's absolute URL with every query parameter kept, the marker moved to the
 * page's last (next) or first (previous) item, and `page_reverse=True` on previous only.
 */
export function pageLinks(requestUrl: string, page: Item[], limit: number, pageReverse: boolean): PageLink[] {
  const links: PageLink[] = [];
  const short = page.length < limit;
  if (!(short && !pageReverse)) links.push({ rel: 'next', href: linkTo(requestUrl, page.at(-1), false) });
  if (!(short && pageReverse)) links.push({ rel: 'previous', href: linkTo(requestUrl, page[0], true) });
  return links;
}

function linkTo(requestUrl: string, markerItem: Item | undefined, reverse: boolean): string {
  const url = new URL(requestUrl);
  const params = url.searchParams;
  params.delete('marker');
  if (markerItem) params.append('marker', String(markerItem.id));
  params.delete('page_reverse');
  if (reverse) params.append('page_reverse', 'True');
  return `${url.origin}${url.pathname}?${params.toString()}`;
}

import type { Item } from './list-filter.js';
import type { SortKey } from './list-params.js';

export type Compare = (a: Item, b: Item) => number;

/** The sort keys plus Neutron's `id` ascending tiebreaker (unless `id` is already a key), so the order is total. */
export function withIdTiebreaker(sorts: SortKey[]): SortKey[] {
  return sorts.some((s) => s.key === 'id') ? sorts : [...sorts, { key: 'id', asc: true }];
}

/** Compares items key by key; a missing or null value sorts first, as in Neutron's emulated sorting. */
export function compareBy(sorts: SortKey[]): Compare {
  return (a, b) => {
    for (const { key, asc } of sorts) {
      const c = compareValues(a[key], b[key]);
      if (c !== 0) return asc ? c : -c;
    }
    return 0;
  };
}

export function compareValues(x: unknown, y: unknown): number {
  const xNull = x === null || x === undefined;
  const yNull = y === null || y === undefined;
  if (xNull || yNull) return xNull === yNull ? 0 : xNull ? -1 : 1;
  if (typeof x !== typeof y) return compareValues(String(x), String(y)); // e.g. a rule's protocol: "tcp" or 6
  if (typeof x === 'boolean') return Number(x) - Number(y as boolean);
  return x < (y as typeof x) ? -1 : x > (y as typeof x) ? 1 : 0;
}

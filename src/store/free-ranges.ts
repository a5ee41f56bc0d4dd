/**
 * The free addresses of one subnet as sorted, disjoint, inclusive [first, last] ranges.
 * Taking the next address is O(1) and taking or returning a given one is a binary search plus a splice,
 * so allocation cost does not grow with the number of addresses in use.
 */
export class FreeRanges {
  private readonly ranges: [bigint, bigint][] = [];

  /** `pools` may be in any order; `used` need not be sorted and may contain addresses outside the pools. */
  constructor(pools: [bigint, bigint][], used: Iterable<bigint>) {
    const sortedPools = [...pools].sort((a, b) => cmp(a[0], b[0]));
    const sortedUsed = [...used].sort(cmp);
    let u = 0;
    for (const [first, last] of sortedPools) {
      let start = first;
      while (u < sortedUsed.length && sortedUsed[u] < first) u++;
      while (u < sortedUsed.length && sortedUsed[u] <= last) {
        if (sortedUsed[u] > start) this.ranges.push([start, sortedUsed[u] - 1n]);
        start = sortedUsed[u] + 1n;
        u++;
      }
      if (start <= last) this.ranges.push([start, last]);
    }
  }

  /** Removes and returns the lowest free address, or undefined when none is left. */
  takeFirst(): bigint | undefined {
    const first = this.ranges[0];
    if (!first) return undefined;
    const value = first[0];
    if (first[0] === first[1]) this.ranges.shift();
    else first[0] = value + 1n;
    return value;
  }

  /** Marks `value` used; false when it was not free (in use, or outside every pool). */
  take(value: bigint): boolean {
    const i = this.indexContaining(value);
    if (i < 0) return false;
    const [first, last] = this.ranges[i];
    const pieces: [bigint, bigint][] = [];
    if (first < value) pieces.push([first, value - 1n]);
    if (value < last) pieces.push([value + 1n, last]);
    this.ranges.splice(i, 1, ...pieces);
    return true;
  }

  /** Returns `value` to the free set, merging with its neighbours. */
  give(value: bigint): void {
    if (this.indexContaining(value) >= 0) return;
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid][0] < value) lo = mid + 1;
      else hi = mid;
    }
    const before = this.ranges[lo - 1];
    const after = this.ranges[lo];
    if (before && before[1] + 1n === value && after && value + 1n === after[0]) {
      before[1] = after[1];
      this.ranges.splice(lo, 1);
    } else if (before && before[1] + 1n === value) before[1] = value;
    else if (after && value + 1n === after[0]) after[0] = value;
    else this.ranges.splice(lo, 0, [value, value]);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  get size(): bigint {
    return this.ranges.reduce((n, [a, b]) => n + (b - a + 1n), 0n);
  }

  private indexContaining(value: bigint): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [first, last] = this.ranges[mid];
      if (value < first) hi = mid - 1;
      else if (value > last) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { describe, expect, it } from 'vitest';
import { FreeRanges } from '../../src/store/free-ranges.js';

describe('FreeRanges', () => {
  it('starts from the pools minus the used addresses and hands out the lowest first', () => {
    const free = new FreeRanges([[20n, 25n], [10n, 12n]], [11n, 21n, 99n]);
    expect(free.size).toBe(7n);
    expect([1, 2, 3, 4].map(() => free.takeFirst())).toEqual([10n, 12n, 20n, 22n]);
  });

  it('takes a given address out of the middle and gives it back merged', () => {
    const free = new FreeRanges([[1n, 10n]], []);
    expect(free.take(5n)).toBe(true);
    expect(free.take(5n)).toBe(false);
    expect(free.take(11n)).toBe(false);
    expect(free.size).toBe(9n);
    free.give(5n);
    expect(free.size).toBe(10n);
    const all: bigint[] = [];
    for (let v = free.takeFirst(); v !== undefined; v = free.takeFirst()) all.push(v);
    expect(all).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
  });

  it('stays correct under random take/give against a plain set', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const free = new FreeRanges([[0n, 199n]], []);
    const model = new Set<number>(Array.from({ length: 200 }, (_, i) => i));
    for (let i = 0; i < 5000; i++) {
      const v = rand(200);
      if (rand(2) === 0) expect(free.take(BigInt(v))).toBe(model.delete(v));
      else {
        free.give(BigInt(v));
        model.add(v);
      }
      expect(free.size).toBe(BigInt(model.size));
    }
    const first = free.takeFirst();
    expect(first).toBe(BigInt(Math.min(...model)));
  });
});

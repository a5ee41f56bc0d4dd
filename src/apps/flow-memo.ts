/**
 * Flows by the inputs they were built from, across snapshots: a key names everything a flow (or a small
 * group of flows) depends on, so equal inputs give back the very same frozen objects. Recomputing a
 * host after a change then builds only the flows whose inputs changed, and the reconciler, which caches
 * each DesiredFlow's encoding per object, encodes only those.
 *
 * Keys are compared by value (snapshots copy their objects, so identity says nothing across them).
 * Memory is bounded by two generations of GENERATION_MS each: lookups fill the young generation and
 * promote what they find in the old one; when the young one is that old (or holds MAX_GENERATION
 * entries) it becomes the old one and the previous old one is dropped. So what nobody asked for during
 * a whole generation (flows of deleted ports, of changed inputs) falls out, while anything used again
 * within a generation stays, however large the topology. Generations only turn on a miss, so a quiet
 * controller keeps its flows. A dropped entry costs a rebuild (a new object, encoded once more), never a
 * wrong flow.
 */
const GENERATION_MS = 60_000;
const MAX_GENERATION = 1 << 20;
/** The apps' module-level memos, which clearFlowMemo empties. */
const shared: Array<Memo<unknown>> = [];

export class Memo<V> {
  /** A module-level memo of the apps (cleared by clearFlowMemo). */
  static shared<V>(): Memo<V> {
    const m = new Memo<V>();
    shared.push(m as Memo<unknown>);
    return m;
  }

  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private bornAt: number;

  constructor(
    private readonly generationMs = GENERATION_MS,
    private readonly maxGeneration = MAX_GENERATION,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.bornAt = now();
  }

  get(key: string, build: () => V): V {
    let v = this.young.get(key);
    if (v !== undefined) return v;
    v = this.old.get(key) ?? build();
    this.young.set(key, v);
    if (this.young.size >= this.maxGeneration || this.now() - this.bornAt >= this.generationMs) {
      this.old = this.young;
      this.young = new Map();
      this.bornAt = this.now();
    }
    return v;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.bornAt = this.now();
  }
}

/** One memo per app module would do as well; one shared one keeps the bound simple. Keys start with a tag per flow kind. */
export const flowMemo = Memo.shared<unknown>();

/** Forgets every memoised flow and cookie (benchmarks measure cold computations with it; nothing else needs it). */
export function clearFlowMemo(): void {
  for (const m of shared) m.clear();
}

/** The memoised value for `key`, built by `build` on a miss. Callers tag keys so kinds never collide. */
export function memo<V>(key: string, build: () => V): V {
  return flowMemo.get(key, build) as V;
}

type Input = string | number;

interface Variant<V> {
  readonly a: Input;
  readonly b: Input;
  readonly value: V;
}

/** Variants kept per owner and scope (e.g. one per MAC of a port); more only cost rebuilds. */
const MAX_VARIANTS = 8;
const emptyList = <V>(): Array<Variant<V>> => [];

/**
 * The per-port flows, memoised without a key string per lookup: a scope names what a whole loop shares
 * (the flow kind and the host's context, e.g. local VLAN and uplink), then each value is found by its
 * owner's id and compared on up to two more inputs. Building, flattening and hashing a long key per
 * flow cost ≈ 1 µs; this is a short id lookup and two compares. Same generations (and bound) as Memo.
 */
export class OwnerMemo<V> {
  private readonly owners = new Memo<Array<Variant<V>>>();

  get(owner: string, a: Input, b: Input, build: () => V): V {
    const variants = this.owners.get(owner, emptyList<V>);
    for (const v of variants) if (v.a === a && v.b === b) return v.value;
    const value = build();
    if (variants.unshift({ a, b, value }) > MAX_VARIANTS) variants.pop();
    return value;
  }
}

const scopes = Memo.shared<OwnerMemo<unknown>>();

/** The OwnerMemo of a scope (tag it like a memo key: every input the owner and a, b do not carry). */
export function ownerMemo<V>(scope: string): OwnerMemo<V> {
  return scopes.get(scope, () => new OwnerMemo<unknown>()) as OwnerMemo<V>;
}

/** A string as a key part that no other part can run into: its length, then itself. */
export function idPart(id: string): string {
  return `${id.length}:${id}`;
}

import { l2HostFlows } from '../apps/l2-apps.js';
import { indexDesired, type DesiredEntry, type DesiredFlow } from '../reconciler/desired-flow.js';
import type { TopologySnapshot } from '../topology/model.js';

/** The base partition: per-host defaults and the VTEP filter, computed with no network at all. */
export const BASE_PARTITION = '';

type Entries = ReadonlyMap<string, DesiredEntry>;

/** One partition on one host: its flows by bridge, and what they were indexed from (to skip an equal input). */
interface Held {
  entries: ReadonlyMap<string, Entries>;
  flows: ReadonlyMap<string, readonly DesiredFlow[]> | undefined;
  base: ReadonlyMap<string, Entries> | undefined;
}

/**
 * The L2 flows of every host, kept per partition (the base one, and per network and port, see
 * network-flows.ts); a bridge's desired set is the union of its partitions. Other partitions keep only
 * what the host's base partition does not already have (the apps emit host defaults with every
 * network), so compute the base partition of a host first.
 * Unchanged partitions keep their flow objects, so the reconciler's per-object encoding cache holds.
 */
export class FlowPartitions {
  /** partition -> host -> its flows (bridge -> flows by identity) and what they were indexed from. */
  private readonly parts = new Map<string, Map<string, Held>>();
  /**
   * host -> bridge -> the union, by identity, with how many partitions hold each flow: kept up to date
   * on every change, so reading a bridge's set does not walk the (thousands of) partitions.
   */
  private readonly unions = new Map<string, Map<string, Map<string, { flow: DesiredFlow; holders: number }>>>();

  /**
   * Recomputes one partition on one host from its snapshot; returns the bridges whose flows changed.
   * `snap` undefined drops the host from the partition.
   */
  update(partition: string, host: string, snap: TopologySnapshot | undefined): string[] {
    // A host the snapshot does not know (deleted, or without tunnel IP) gets nothing from this partition.
    return this.replace(partition, host, snap?.hosts.has(host) ? l2HostFlows(snap, host) : undefined);
  }

  /** Sets one partition's flows on one host (bridge -> flows); returns the bridges whose flows changed. */
  replace(partition: string, host: string, flows: ReadonlyMap<string, readonly DesiredFlow[]> | undefined): string[] {
    let byHost = this.parts.get(partition);
    const held = byHost?.get(host);
    const base = partition === BASE_PARTITION ? undefined : this.parts.get(BASE_PARTITION)?.get(host)?.entries;
    // The same flow objects as last time against the same base: nothing to index (a recompute of unchanged ports).
    if (held && sameInput(held, flows, base)) return [];
    const before = held?.entries;
    let after: Map<string, Entries> | undefined;
    for (const [bridge, list] of flows ?? []) {
      const entries = withoutBase(indexDesired(list), base?.get(bridge));
      if (entries.size) (after ??= new Map()).set(bridge, entries);
    }
    const changed: string[] = [];
    for (const bridge of before?.keys() ?? []) if (!sameEntries(before!.get(bridge), after?.get(bridge))) changed.push(bridge);
    for (const bridge of after?.keys() ?? []) if (!before?.has(bridge)) changed.push(bridge); // never empty
    if (after) {
      if (!byHost) this.parts.set(partition, (byHost = new Map()));
      byHost.set(host, { entries: after, flows, base });
    } else if (byHost) {
      byHost.delete(host);
      if (!byHost.size) this.parts.delete(partition);
    }
    for (const bridge of changed) this.account(host, bridge, before?.get(bridge), after?.get(bridge));
    return changed;
  }

  /** Hosts the partition currently has flows on. */
  hostsOf(partition: string): string[] {
    return [...(this.parts.get(partition)?.keys() ?? [])];
  }

  /** The bridge's desired flows: the union of its partitions. */
  merged(host: string, bridge: string): DesiredFlow[] {
    return [...(this.unions.get(host)?.get(bridge)?.values() ?? [])].map((u) => u.flow);
  }

  /** Bridge names with flows on the host. */
  bridgesOf(host: string): string[] {
    return [...(this.unions.get(host)?.keys() ?? [])];
  }

  /** Moves one partition's contribution to a bridge's union from `before` to `after`. */
  private account(host: string, bridge: string, before: Entries | undefined, after: Entries | undefined): void {
    let byBridge = this.unions.get(host);
    if (!byBridge) this.unions.set(host, (byBridge = new Map()));
    let union = byBridge.get(bridge);
    if (!union) byBridge.set(bridge, (union = new Map()));
    for (const key of before?.keys() ?? []) {
      const u = union.get(key)!;
      if (--u.holders === 0) union.delete(key);
    }
    // Two partitions never hold one identity with different settings (the whole topology would not index),
    // so the latest object stands for all its holders.
    for (const e of after?.values() ?? []) {
      const u = union.get(e.id.key);
      if (u) {
        u.holders++;
        u.flow = e.flow;
      } else {
        union.set(e.id.key, { flow: e.flow, holders: 1 });
      }
    }
    if (!union.size) byBridge.delete(bridge);
    if (!byBridge.size) this.unions.delete(host);
  }
}

function withoutBase(entries: Map<string, DesiredEntry>, base: Entries | undefined): Map<string, DesiredEntry> {
  if (!base) return entries;
  for (const e of entries.values()) if (base.get(e.id.key)?.id.sameSettings(e.id)) entries.delete(e.id.key);
  return entries;
}

function sameEntries(a: Entries | undefined, b: Entries | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  if (!a || !b) return true;
  for (const e of a.values()) {
    const other = b.get(e.id.key);
    if (!other || !other.id.sameSettings(e.id)) return false;
  }
  return true;
}

/** The same bridges with the very same flow objects in the same order, and the same base maps. */
function sameInput(held: Held, flows: ReadonlyMap<string, readonly DesiredFlow[]> | undefined, base: Held['base']): boolean {
  if (held.base !== base || !held.flows || !flows || held.flows.size !== flows.size) return false;
  for (const [bridge, list] of flows) {
    const old = held.flows.get(bridge);
    if (!old || old.length !== list.length) return false;
    for (let i = 0; i < list.length; i++) if (old[i] !== list[i]) return false;
  }
  return true;
}

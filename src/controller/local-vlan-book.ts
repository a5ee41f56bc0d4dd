import type { LocalVlans } from '../store/local-vlans.js';

/**
 * The store's local VLANs with an in-memory copy, so asking for a host's existing number costs no query.
 * Numbers live in the store, so a restarted controller programs the same ones.
 */
export class LocalVlanBook {
  private readonly byHost = new Map<string, Map<string, number>>();

  constructor(private readonly store: LocalVlans) {}

  /** The network's VLAN on the host, allocating one when it has none. */
  ensure(host: string, networkId: string): number {
    const m = this.of(host);
    let vlan = m.get(networkId);
    if (vlan === undefined) m.set(networkId, (vlan = this.store.allocate(host, networkId)));
    return vlan;
  }

  /** Releases the network's VLAN on each of `hosts` not in `keep`: its last port left that host. */
  releaseExcept(networkId: string, keep: ReadonlySet<string>, hosts: Iterable<string>): void {
    for (const host of hosts) {
      const m = this.of(host);
      if (keep.has(host) || !m.has(networkId)) continue;
      this.store.release(host, networkId);
      m.delete(networkId);
    }
  }

  /** Drops the memory copy (a host was deleted or re-created: the store changed its rows). */
  forget(): void {
    this.byHost.clear();
  }

  private of(host: string): Map<string, number> {
    let m = this.byHost.get(host);
    if (!m) this.byHost.set(host, (m = this.store.ofHost(host)));
    return m;
  }
}

import type { Database } from 'better-sqlite3';
import { Subject } from 'rxjs';
import { DocTable } from './doc-table.js';
import { Ipam } from './ipam.js';
import type { Change, NetworkType, ResourceKind } from './types.js';

export interface StoreOptions {
  /** Types a tenant network gets when it names none, tried in order (Neutron's tenant_network_types). */
  tenantNetworkTypes?: NetworkType[];
  /** Inclusive VNI ranges for tenant VXLAN networks. */
  vniRanges?: [number, number][];
  /** Inclusive VLAN ranges per physical network for tenant VLAN networks. */
  vlanRanges?: Record<string, [number, number][]>;
  /** Physical networks that flat/vlan provider networks may use; undefined accepts any name. */
  physicalNetworks?: string[];
  /** Base of the per-host DVR MACs (Neutron's dvr_base_mac). */
  dvrBaseMac?: string;
  /** MTU of the underlay; VXLAN networks get 50 bytes less. */
  globalMtu?: number;
  /** Whether routers are distributed when the request does not say. */
  distributedRoutersByDefault?: boolean;
  /**
   * SQLite `synchronous` in WAL mode. NORMAL (default): a commit is written to the WAL (the OS page cache) before
   * it is acknowledged, but not fsynced, so a process crash (SIGKILL) loses nothing acknowledged while a power
   * loss or kernel crash may lose the last commits (never corrupts the file). FULL also fsyncs the WAL at every
   * commit, so it survives power loss too, at the cost of an fsync per write.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * WAL pages (4 KiB each) after which a commit checkpoints the WAL into the database file (SQLite's
   * `wal_autocheckpoint`; default 10000, about 40 MiB). A checkpoint copies pages back and, under NORMAL, fsyncs
   * twice; a port create dirties about 8 pages, so SQLite's default of 1000 stalled every ~120th request. Larger
   * means fewer, cheaper-per-write checkpoints but a bigger -wal file and a longer replay on open. 0 disables
   * automatic checkpoints (then call `store.checkpoint()` yourself).
   */
  walAutocheckpoint?: number;
}

export type ResolvedOptions = Required<Omit<StoreOptions, 'physicalNetworks'>> & Pick<StoreOptions, 'physicalNetworks'>;

export function resolveOptions(opts: StoreOptions): ResolvedOptions {
  return {
    tenantNetworkTypes: opts.tenantNetworkTypes ?? ['vxlan'],
    vniRanges: opts.vniRanges ?? [[1, 65535]],
    vlanRanges: opts.vlanRanges ?? {},
    physicalNetworks: opts.physicalNetworks,
    dvrBaseMac: opts.dvrBaseMac ?? 'fa:16:3f:00:00:00',
    globalMtu: opts.globalMtu ?? 1500,
    distributedRoutersByDefault: opts.distributedRoutersByDefault ?? false,
    synchronous: opts.synchronous ?? 'NORMAL',
    walAutocheckpoint: opts.walAutocheckpoint ?? 10_000,
  };
}

type Docs = { [K in ResourceKind]: DocTable<K> };

/**
 * What every resource module works with: the database, the document tables, IPAM and `write`, which makes one
 * transaction and publishes its changes only once it has committed.
 */
export class StoreContext {
  readonly docs: Docs;
  readonly ipam: Ipam;
  readonly changes = new Subject<Change>();
  private pending: Change[] = [];
  private depth = 0;

  constructor(
    readonly db: Database,
    readonly options: ResolvedOptions,
  ) {
    const record = (c: Change): void => void this.pending.push(c);
    const kinds: ResourceKind[] = [
      'network',
      'subnet',
      'port',
      'router',
      'floatingip',
      'security_group',
      'security_group_rule',
      'host',
    ];
    this.docs = Object.fromEntries(kinds.map((k) => [k, new DocTable(db, k, record)])) as unknown as Docs;
    this.ipam = new Ipam(db);
  }

  /** Runs `fn` in one IMMEDIATE transaction; nested calls join the outer one (so a bulk request is atomic). */
  write<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.pending = [];
      this.ipam.invalidate();
      throw err;
    } finally {
      this.depth--;
    }
    const committed = this.pending;
    this.pending = [];
    for (const change of committed) this.changes.next(change);
    return result;
  }
}

import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Observable } from 'rxjs';
import { ownedOr403 } from './access.js';
import { resolveOptions, StoreContext, type StoreOptions } from './context.js';
import { FloatingIps } from './floatingips.js';
import { Hosts } from './hosts.js';
import { LocalVlans } from './local-vlans.js';
import { migrate } from './migrations.js';
import { Networks } from './networks.js';
import { Ports } from './ports.js';
import { Routers } from './routers.js';
import { SecurityGroups } from './security-groups.js';
import { Segments } from './segments.js';
import { Subnets } from './subnets.js';
import type { Caller, Change, ResourceKind, ResourceOf } from './types.js';

export const DEFAULT_STORE_PATH = 'neutrino.db';

/** The topology store: every resource module over one SQLite file, plus the change feed. */
export class Store {
  readonly networks: Networks;
  readonly subnets: Subnets;
  readonly ports: Ports;
  readonly routers: Routers;
  readonly floatingIps: FloatingIps;
  readonly securityGroups: SecurityGroups;
  readonly hosts: Hosts;
  readonly localVlans: LocalVlans;
  /** Committed changes, in commit order. Subscribers run synchronously after the commit. */
  readonly changes: Observable<Change>;

  constructor(
    private readonly ctx: StoreContext,
    readonly path: string,
  ) {
    const segments = new Segments(ctx.db, ctx.options);
    this.localVlans = new LocalVlans(ctx.db);
    this.securityGroups = new SecurityGroups(ctx);
    this.networks = new Networks(ctx, segments, (network) => {
      for (const subnet of ctx.docs.subnet.where('network_id', network.id)) this.subnets.remove(subnet);
      ctx.db.prepare('DELETE FROM local_vlans WHERE network_id = ?').run(network.id);
    });
    this.subnets = new Subnets(ctx, this.networks);
    this.ports = new Ports(ctx, this.securityGroups, (port) => this.floatingIps.disassociatePort(port));
    this.routers = new Routers(ctx, this.ports);
    this.floatingIps = new FloatingIps(ctx, this.ports, this.routers);
    this.hosts = new Hosts(ctx);
    this.changes = ctx.changes.asObservable();
  }

  /** Runs `fn` as one transaction (e.g. a bulk create): all of it commits, or none of it. */
  transaction<T>(fn: () => T): T {
    return this.ctx.write(fn);
  }

  /** Replaces a resource's tags (PUT …/tags). */
  setTags<K extends Exclude<ResourceKind, 'host'>>(caller: Caller, kind: K, id: string, tags: string[]): ResourceOf[K] {
    return this.ctx.write(() => {
      const table = this.ctx.docs[kind];
      const label = kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
      const before = ownedOr403(caller, table.get(id), label, id, `update_${kind}`) as ResourceOf[K];
      return table.update(before, { ...before, tags: [...new Set(tags)] } as ResourceOf[K]);
    });
  }

  /** Row counts per resource table, for metrics and the benchmark. */
  counts(): Record<string, number> {
    const tables = ['networks', 'subnets', 'ports', 'routers', 'floatingips', 'security_groups', 'hosts'];
    return Object.fromEntries(
      tables.map((t) => [t, this.ctx.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]),
    );
  }

  /** Copies the WAL into the database file now (PASSIVE: never waits for, nor blocks, other connections). */
  checkpoint(): void {
    this.ctx.db.pragma('wal_checkpoint(PASSIVE)');
  }

  integrityCheck(): string {
    return this.ctx.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    this.ctx.changes.complete();
    this.ctx.db.close();
  }
}

/**
 * Opens (creating if needed) the store at `path` in WAL mode and applies pending schema migrations.
 * `:memory:` gives a throwaway store.
 */
export function openStore(path: string = DEFAULT_STORE_PATH, opts: StoreOptions = {}): Store {
  const options = resolveOptions(opts);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  const synchronous = String(options.synchronous).toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new Error(`synchronous must be NORMAL or FULL, not ${String(options.synchronous)}`);
  }
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(Number(options.walAutocheckpoint) || 0))}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768'); // 32 MiB: the port indexes of a large deployment stay in memory
  migrate(db);
  return new Store(new StoreContext(db, options), path);
}

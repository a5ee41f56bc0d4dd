import type { Database, Statement } from 'better-sqlite3';
import type { Change, ChangeOf, ResourceKind, ResourceOf } from './types.js';

/** Table and indexed columns of each kind; every indexed column is copied from the doc field of the same name. */
export const TABLES: Record<ResourceKind, { table: string; columns: string[] }> = {
  network: { table: 'networks', columns: [] },
  subnet: { table: 'subnets', columns: ['network_id'] },
  port: { table: 'ports', columns: ['network_id', 'device_id', 'mac_address'] },
  router: { table: 'routers', columns: [] },
  floatingip: { table: 'floatingips', columns: ['floating_network_id', 'port_id'] },
  security_group: { table: 'security_groups', columns: [] },
  security_group_rule: { table: 'security_group_rules', columns: ['security_group_id', 'remote_group_id'] },
  host: { table: 'hosts', columns: ['name', 'dvr_host_mac'] },
};

/** Columns whose index holds only non-empty values (see migration 2). */
const PARTIAL_INDEXES: Partial<Record<ResourceKind, string[]>> = { port: ['device_id'] };

/**
 * One kind's documents. Every write records a Change for the feed, so nothing can change a resource
 * without apps hearing of it.
 */
export class DocTable<K extends ResourceKind> {
  private readonly getStmt: Statement;
  private readonly allStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly whereStmts = new Map<string, Statement>();
  private readonly columns: string[];

  constructor(
    private readonly db: Database,
    readonly kind: K,
    private readonly record: (change: Change) => void,
  ) {
    const { table, columns } = TABLES[kind];
    this.columns = columns;
    const all = ['id', 'project_id', ...columns, 'doc'];
    this.getStmt = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck();
    this.allStmt = db.prepare(`SELECT doc FROM ${table} ORDER BY rowid`).pluck();
    this.insertStmt = db.prepare(`INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`);
    this.updateStmt = db.prepare(
      `UPDATE ${table} SET ${all.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    );
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  }

  get(id: string): ResourceOf[K] | undefined {
    const text = this.getStmt.get(id) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as ResourceOf[K]);
  }

  all(): ResourceOf[K][] {
    return (this.allStmt.all() as string[]).map((t) => JSON.parse(t) as ResourceOf[K]);
  }

  /** Docs whose indexed `column` (or project_id/id) equals `value`. */
  where(column: string, value: string): ResourceOf[K][] {
    // A partial index (only non-empty values, e.g. ports.device_id) serves a lookup only when the query
    // repeats the index's condition; the empty value is found by a scan.
    const partial = PARTIAL_INDEXES[this.kind]?.includes(column) === true;
    const key = partial && value === '' ? `${column}=''` : column;
    let stmt = this.whereStmts.get(key);
    if (!stmt) {
      if (column !== 'project_id' && !this.columns.includes(column)) throw new Error(`${column} is not indexed`);
      const condition = key === column && partial ? `${column} = ? AND ${column} <> ''` : `${column} = ?`;
      stmt = this.db.prepare(`SELECT doc FROM ${TABLES[this.kind].table} WHERE ${condition} ORDER BY rowid`).pluck();
      this.whereStmts.set(key, stmt);
    }
    return (stmt.all(value) as string[]).map((t) => JSON.parse(t) as ResourceOf[K]);
  }

  insert(doc: ResourceOf[K]): ResourceOf[K] {
    this.insertStmt.run(doc.id, doc.project_id, ...this.columnValues(doc), JSON.stringify(doc));
    this.record({ kind: this.kind, op: 'created', id: doc.id, after: doc } as ChangeOf<K> as Change);
    return doc;
  }

  /** Stores `after` (a changed copy of `before`), bumping revision_number and updated_at. */
  update(before: ResourceOf[K], after: ResourceOf[K]): ResourceOf[K] {
    after.revision_number = before.revision_number + 1;
    after.updated_at = timestamp();
    this.updateStmt.run(after.project_id, ...this.columnValues(after), JSON.stringify(after), after.id);
    this.record({ kind: this.kind, op: 'updated', id: after.id, before, after } as ChangeOf<K> as Change);
    return after;
  }

  delete(doc: ResourceOf[K]): void {
    this.deleteStmt.run(doc.id);
    this.record({ kind: this.kind, op: 'deleted', id: doc.id, before: doc } as ChangeOf<K> as Change);
  }

  private columnValues(doc: ResourceOf[K]): unknown[] {
    return this.columns.map((c) => (doc as unknown as Record<string, unknown>)[c] ?? null);
  }
}

/** Neutron's timestamp form: ISO 8601 in UTC, whole seconds. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

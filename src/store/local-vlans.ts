import type { Database, Statement } from 'better-sqlite3';
import { conflict } from './errors.js';

const MIN_VLAN = 1;
const MAX_VLAN = 4094;

/**
 * Host-local VLAN numbers per (host, network), persisted so a restarted controller programs the same numbers
 * (what Neutron's agent recovers from Port.tag). Each call is its own small transaction.
 */
export class LocalVlans {
  private readonly getStmt: Statement;
  private readonly usedStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly ofHostStmt: Statement;

  constructor(private readonly db: Database) {
    this.getStmt = db.prepare('SELECT vlan FROM local_vlans WHERE host = ? AND network_id = ?').pluck();
    this.usedStmt = db.prepare('SELECT vlan FROM local_vlans WHERE host = ? ORDER BY vlan').pluck();
    this.insertStmt = db.prepare('INSERT INTO local_vlans (host, network_id, vlan) VALUES (?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM local_vlans WHERE host = ? AND network_id = ?');
    this.ofHostStmt = db.prepare('SELECT network_id, vlan FROM local_vlans WHERE host = ? ORDER BY vlan');
  }

  /** The network's local VLAN on the host: the one it already has, else the lowest free one. */
  allocate(host: string, networkId: string): number {
    return this.db.transaction(() => {
      const existing = this.getStmt.get(host, networkId) as number | undefined;
      if (existing !== undefined) return existing;
      let candidate = MIN_VLAN;
      for (const used of this.usedStmt.all(host) as number[]) {
        if (used > candidate) break;
        candidate = used + 1;
      }
      if (candidate > MAX_VLAN) throw conflict('LocalVlanExhausted', `No local VLAN is left on host ${host}.`);
      this.insertStmt.run(host, networkId, candidate);
      return candidate;
    })();
  }

  /** Frees the number; true when there was one. */
  release(host: string, networkId: string): boolean {
    return this.deleteStmt.run(host, networkId).changes > 0;
  }

  get(host: string, networkId: string): number | undefined {
    return this.getStmt.get(host, networkId) as number | undefined;
  }

  ofHost(host: string): Map<string, number> {
    const rows = this.ofHostStmt.all(host) as { network_id: string; vlan: number }[];
    return new Map(rows.map((r) => [r.network_id, r.vlan]));
  }
}

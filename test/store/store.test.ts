import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SYSTEM, type Change, type Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

describe('store', () => {
  let dir: string;
  let path: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'neutrino-store-'));
    path = join(dir, 'sub', 'neutrino.db');
    store = openStore(path);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file in WAL mode at the newest schema version, and reopens it with the data', () => {
    const net = store.networks.create(SYSTEM, { name: 'kept' });
    store.close();
    store = openStore(path);
    expect(store.networks.get(SYSTEM, net.id).name).toBe('kept');
    expect(store.integrityCheck()).toBe('ok');
    const raw = (store as unknown as { ctx: { db: Database.Database } }).ctx.db;
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('publishes changes only after commit, in order, and nothing for a rolled-back transaction', () => {
    const seen: Change[] = [];
    store.changes.subscribe((c) => seen.push(c));
    let seenInside = -1;
    const net = store.transaction(() => {
      const n = store.networks.create(SYSTEM, { name: 'a' });
      store.subnets.create(SYSTEM, { network_id: n.id, cidr: '10.0.0.0/24' });
      seenInside = seen.length;
      return n;
    });
    expect(seenInside).toBe(0);
    expect(seen.map((c) => `${c.kind}:${c.op}`)).toEqual(['network:created', 'subnet:created', 'network:updated']);
    seen.length = 0;
    expect(() =>
      store.transaction(() => {
        store.ports.create(SYSTEM, { network_id: net.id });
        store.ports.create(SYSTEM, { network_id: 'missing' });
      }),
    ).toThrow(/Network missing could not be found/);
    expect(seen).toEqual([]);
    expect(store.ports.list(SYSTEM)).toEqual([]);
    // IPAM state rolled back too: the first address is handed out again.
    expect(store.ports.create(SYSTEM, { network_id: net.id }).fixed_ips[0].ip_address).toBe('10.0.0.2');
  });

  it('rebuilds IPAM from the file after a reopen and never hands out a used address', () => {
    const net = store.networks.create(SYSTEM, {});
    store.subnets.create(SYSTEM, { network_id: net.id, cidr: '10.0.0.0/29' });
    const a = store.ports.create(SYSTEM, { network_id: net.id });
    const b = store.ports.create(SYSTEM, { network_id: net.id });
    store.ports.delete(SYSTEM, a.id);
    store.close();
    store = openStore(path);
    const ips = [1, 2, 3, 4].map(() => store.ports.create(SYSTEM, { network_id: net.id }).fixed_ips[0].ip_address);
    expect(ips).not.toContain(b.fixed_ips[0].ip_address);
    expect(new Set(ips).size).toBe(4);
    expect(() => store.ports.create(SYSTEM, { network_id: net.id })).toThrow(/No more IP addresses/);
  });

  it('keeps local VLANs across a reopen and frees them with their network', () => {
    const net = store.networks.create(SYSTEM, {});
    expect(store.localVlans.allocate('compute1', net.id)).toBe(1);
    store.close();
    store = openStore(path);
    expect(store.localVlans.get('compute1', net.id)).toBe(1);
    store.networks.delete(SYSTEM, net.id);
    expect(store.localVlans.get('compute1', net.id)).toBeUndefined();
  });

  it('applies the durability options: synchronous, wal_autocheckpoint, and refuses an unknown synchronous', () => {
    const raw = (s: Store): Database.Database => (s as unknown as { ctx: { db: Database.Database } }).ctx.db;
    expect(raw(store).pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(raw(store).pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    store.close();
    store = openStore(path, { synchronous: 'FULL', walAutocheckpoint: 500 });
    expect(raw(store).pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(raw(store).pragma('wal_autocheckpoint', { simple: true })).toBe(500);
    store.networks.create(SYSTEM, {});
    store.checkpoint();
    store.close();
    expect(() => openStore(path, { synchronous: 'OFF' as 'FULL' })).toThrow(/synchronous must be NORMAL or FULL/);
    store = openStore(path);
  });

  it('finds ports by device (set or empty) through the partial device index, also after upgrading a v1 file', () => {
    store.close();
    // A file at schema 1, as the first release wrote it.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const v1 = new Database(path);
    v1.exec(MIGRATIONS[0]);
    v1.pragma('user_version = 1');
    v1.close();
    store = openStore(path);
    const raw = (store as unknown as { ctx: { db: Database.Database } }).ctx.db;
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const net = store.networks.create(SYSTEM, {});
    store.subnets.create(SYSTEM, { network_id: net.id, cidr: '10.0.0.0/24' });
    const vm = store.ports.create(SYSTEM, { network_id: net.id, device_id: 'vm-1' });
    const loose = store.ports.create(SYSTEM, { network_id: net.id });
    expect(store.ports.list(SYSTEM, { device_id: 'vm-1' }).map((p) => p.id)).toEqual([vm.id]);
    expect(store.ports.list(SYSTEM, { device_id: '' }).map((p) => p.id)).toEqual([loose.id]);
    store.ports.update(SYSTEM, loose.id, { device_id: 'vm-1' });
    expect(store.ports.list(SYSTEM, { device_id: 'vm-1' }).map((p) => p.id)).toEqual([vm.id, loose.id]);
    expect(store.ports.list(SYSTEM, { device_id: '' })).toEqual([]);
    const plan = raw
      .prepare(`EXPLAIN QUERY PLAN SELECT doc FROM ports WHERE device_id = ? AND device_id <> '' ORDER BY rowid`)
      .all('vm-1') as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/USING INDEX ports_device/);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('refuses to open a file from a newer schema', () => {
    store.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openStore(path)).toThrow(/newer than this build/);
    store = openStore(':memory:');
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('refuses to open a file from a newer schema', () => {
    store.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openStore(path)).toThrow(/newer than this build/);
    store = openStore(':memory:');
  });
});

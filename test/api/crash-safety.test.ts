import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

/** Starts `src/api/serve.ts` as a child process and resolves with it and its URL once it listens. */
function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/serve.ts', '--db', db, '--port', '0', '--no-auth'], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => child.once('exit', () => resolve()));

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-crash-'));
  const db = join(dir, 'neutrino.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write across SIGKILL, and the file passes integrity_check', async () => {
    const first = await startServer(db);
    const post = async (path: string, body: unknown): Promise<{ id: string } | undefined> => {
      const res = await fetch(first.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, { id: string }>;
      return res.status === 201 ? Object.values(json)[0] : undefined;
    };
    const net = await post('/v2.0/networks', { network: { name: 'crash' } });
    await post('/v2.0/subnets', { subnet: { network_id: net?.id, cidr: '10.0.0.0/16' } });

    // Four writers stream port creates; an id counts as acknowledged once its 201 has arrived.
    const acked: string[] = [];
    let killed = false;
    const writer = async (): Promise<void> => {
      while (!killed) {
        try {
          const port = await post('/v2.0/ports', { port: { network_id: net?.id } });
          if (port && !killed) acked.push(port.id);
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all([exited(first.child), ...writers]);
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startServer(db);
    try {
      const res = await fetch(`${second.url}/v2.0/ports?fields=id&fields=fixed_ips`);
      const ports = ((await res.json()) as { ports: { id: string; fixed_ips: { ip_address: string }[] }[] }).ports;
      const ids = new Set(ports.map((p) => p.id));
      expect(acked.filter((id) => !ids.has(id))).toEqual([]);
      expect(new Set(ports.map((p) => p.fixed_ips[0].ip_address)).size).toBe(ports.length);
      // And the survivors are consistent: unique addresses, IPAM agrees with the ports.
      const next = await fetch(`${second.url}/v2.0/ports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ port: { network_id: net?.id } }),
      });
      expect(next.status).toBe(201);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
    const store = openStore(db);
    try {
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });
});

/**
 * Northbound API benchmark: `npx tsx bench/api.bench.ts [--sequential 3000] [--bulk 10000]`.
 * A real server over a real SQLite file (WAL, synchronous=NORMAL) in a temp dir, driven over HTTP with
 * keep-alive (one node:http Agent connection, the lightest client; client and server share this process). Measures sequential port creates/s on a /16, one bulk request of --bulk ports
 * on another /16, and the store's memory and file size. Targets from the issue: ≥ 1,000 creates/s, bulk ≤ 2 s.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '../src/api/server.js';
import { openStore } from '../src/store/index.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]) || fallback;
}
const SEQUENTIAL = option('sequential', 3000);
const BULK = option('bulk', 10_000);
const TARGET = { createsPerSecond: 1000, bulkSeconds: 2 };

const dir = mkdtempSync(join(tmpdir(), 'neutrino-bench-'));
const dbPath = join(dir, 'neutrino.db');
const store = openStore(dbPath);
const server = await createApiServer({ store, auth: { mode: 'none', projectId: 'bench' }, port: 0 });
const url = await server.listen();

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(path: string, body: unknown): Promise<Record<string, { id: string }>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, { id: string }>;
        if (res.statusCode !== 201) reject(new Error(`${path}: ${res.statusCode} ${JSON.stringify(json)}`));
        else resolve(json);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function networkWithSlash16(name: string, cidr: string): Promise<string> {
  const net = (await post('/v2.0/networks', { network: { name } })).network.id;
  await post('/v2.0/subnets', { subnet: { network_id: net, cidr } });
  return net;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const fileSize = (suffix = ''): number => statSync(dbPath + suffix, { throwIfNoEntry: false })?.size ?? 0;

try {
  const heapBefore = process.memoryUsage().heapUsed;
  const seqNet = await networkWithSlash16('seq', '10.10.0.0/16');
  for (let i = 0; i < 100; i++) await post('/v2.0/ports', { port: { network_id: seqNet } }); // warm-up
  let t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < SEQUENTIAL; i++) await post('/v2.0/ports', { port: { network_id: seqNet } });
  const seqSeconds = (performance.now() - t) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const rate = SEQUENTIAL / seqSeconds;
  // Per CPU-second of this process (client and server together): less skewed by a busy shared machine.
  const cpuRate = SEQUENTIAL / ((user + system) / 1e6);

  const bulkNet = await networkWithSlash16('bulk', '10.20.0.0/16');
  const body = { ports: Array.from({ length: BULK }, () => ({ network_id: bulkNet })) };
  t = performance.now();
  const created = (await post('/v2.0/ports', body)) as unknown as { ports: unknown[] };
  const bulkSeconds = (performance.now() - t) / 1000;
  if (created.ports.length !== BULK) throw new Error('bulk create returned the wrong count');

  const mem = process.memoryUsage();
  const ports = store.counts().ports;
  console.log(`sequential port creates over HTTP (keep-alive, /16): ${SEQUENTIAL} in ${seqSeconds.toFixed(2)} s = ${rate.toFixed(0)}/s`
    + ` (target ${TARGET.createsPerSecond}/s: ${(rate / TARGET.createsPerSecond).toFixed(2)}x);`
    + ` ${cpuRate.toFixed(0)} per CPU-second of client+server`);
  console.log(`bulk create of ${BULK} ports in one request (/16): ${bulkSeconds.toFixed(2)} s`
    + ` (target ${TARGET.bulkSeconds} s: ${(TARGET.bulkSeconds / bulkSeconds).toFixed(2)}x faster than needed)`);
  console.log(`store: ${ports} ports; SQLite file ${mib(fileSize())} + WAL ${mib(fileSize('-wal'))};`
    + ` process RSS ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)} (was ${mib(heapBefore)} before the run)`);
} finally {
  agent.destroy();
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

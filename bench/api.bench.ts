/**
 * Northbound API benchmark: `npx tsx bench/api.bench.ts [--sequential 5000] [--warm-up 1000] [--bulk 10000]`.
 * A real server over a real SQLite file (WAL, synchronous=NORMAL, the store's defaults) in a temp dir, driven over
 * HTTP with keep-alive (one node:http Agent connection, the lightest client). Measures sequential port creates/s on
 * a /16, after --warm-up creates (so V8 has optimised the request path: steady state, not start-up), twice: with the
 * client in this process (client and server share one event loop and one core), and with the client in a child
 * process (as a real client would be; the server's loop only serves, but each reply now wakes another process).
 * Then one bulk request of --bulk ports on another /16, and the store's memory and file size.
 * Targets from the issue: ≥ 1,000 creates/s, bulk ≤ 2 s.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]) || fallback;
}
const SEQUENTIAL = option('sequential', 5000);
const BULK = option('bulk', 10_000);
const WARM_UP = option('warm-up', 1000);
const TARGET = { createsPerSecond: 1000, bulkSeconds: 2 };

interface SequentialResult {
  seconds: number;
  /** CPU seconds of the process running the loop (client, plus the server when it shares the process). */
  cpuSeconds: number;
}

function client(url: string): {
  post: (path: string, body: unknown) => Promise<Record<string, { id: string }>>;
  close: () => void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: unknown): Promise<Record<string, { id: string }>> => {
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
  };
  return { post, close: () => agent.destroy() };
}

/** `count` port creates on `networkId`, one at a time, after a warm-up. */
async function sequentialCreates(url: string, networkId: string, count: number): Promise<SequentialResult> {
  const { post, close } = client(url);
  try {
    for (let i = 0; i < WARM_UP; i++) await post('/v2.0/ports', { port: { network_id: networkId } });
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < count; i++) await post('/v2.0/ports', { port: { network_id: networkId } });
    const seconds = (performance.now() - t) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    return { seconds, cpuSeconds: (user + system) / 1e6 };
  } finally {
    close();
  }
}

/** The same loop in a child process (this file with --client); resolves with the child's measurement. */
function sequentialCreatesInChild(url: string, networkId: string, count: number): Promise<SequentialResult> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ['--client', url, networkId, String(count), '--warm-up', String(WARM_UP)], {
      stdio: 'inherit',
    });
    child.once('message', (m) => resolve(m as SequentialResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`client process exited (${code}) without a result`)));
  });
}

const clientAt = process.argv.indexOf('--client');
if (clientAt >= 0) {
  // Child: only the client loop.
  const [url, networkId, count] = process.argv.slice(clientAt + 1);
  const result = await sequentialCreates(url, networkId, Number(count));
  process.send?.(result, () => process.exit(0));
} else {
  await main();
}

async function main(): Promise<void> {
  const { createApiServer } = await import('../src/api/server.js');
  const { openStore } = await import('../src/store/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-bench-'));
  const dbPath = join(dir, 'neutrino.db');
  const store = openStore(dbPath);
  const server = await createApiServer({ store, auth: { mode: 'none', projectId: 'bench' }, port: 0 });
  const url = await server.listen();
  const { post, close } = client(url);

  async function networkWithSlash16(name: string, cidr: string): Promise<string> {
    const net = (await post('/v2.0/networks', { network: { name } })).network.id;
    await post('/v2.0/subnets', { subnet: { network_id: net, cidr } });
    return net;
  }

  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const fileSize = (suffix = ''): number => statSync(dbPath + suffix, { throwIfNoEntry: false })?.size ?? 0;
  const describe = (r: SequentialResult, serverCpu?: number): string => {
    const rate = SEQUENTIAL / r.seconds;
    return `${SEQUENTIAL} in ${r.seconds.toFixed(2)} s = ${rate.toFixed(0)}/s`
      + ` (target ${TARGET.createsPerSecond}/s: ${(rate / TARGET.createsPerSecond).toFixed(2)}x); `
      + (serverCpu === undefined
        ? `${(SEQUENTIAL / r.cpuSeconds).toFixed(0)} per CPU-second of client+server`
        : `${(SEQUENTIAL / serverCpu).toFixed(0)} per CPU-second of the server, ${(SEQUENTIAL / r.cpuSeconds).toFixed(0)} of the client`);
  };

  try {
    const heapBefore = process.memoryUsage().heapUsed;
    const sharedNet = await networkWithSlash16('seq', '10.10.0.0/16');
    const shared = await sequentialCreates(url, sharedNet, SEQUENTIAL);

    const childNet = await networkWithSlash16('seq-child', '10.30.0.0/16');
    const serverCpu = process.cpuUsage();
    const separate = await sequentialCreatesInChild(url, childNet, SEQUENTIAL);
    const { user, system } = process.cpuUsage(serverCpu);
    // The server process's CPU over the child's whole run (its warm-up and start included, so slightly high).
    const serverSeconds = (user + system) / 1e6;

    const bulkNet = await networkWithSlash16('bulk', '10.20.0.0/16');
    const body = { ports: Array.from({ length: BULK }, () => ({ network_id: bulkNet })) };
    const t = performance.now();
    const created = (await post('/v2.0/ports', body)) as unknown as { ports: unknown[] };
    const bulkSeconds = (performance.now() - t) / 1000;
    if (created.ports.length !== BULK) throw new Error('bulk create returned the wrong count');

    const mem = process.memoryUsage();
    const ports = store.counts().ports;
    console.log(`sequential port creates over HTTP (keep-alive, /16), client in the server's process: ${describe(shared)}`);
    console.log(`sequential port creates over HTTP (keep-alive, /16), client in its own process:      ${describe(separate, serverSeconds)}`);
    console.log(`bulk create of ${BULK} ports in one request (/16): ${bulkSeconds.toFixed(2)} s`
      + ` (target ${TARGET.bulkSeconds} s: ${(TARGET.bulkSeconds / bulkSeconds).toFixed(2)}x faster than needed)`);
    console.log(`store: ${ports} ports; SQLite file ${mib(fileSize())} + WAL ${mib(fileSize('-wal'))};`
      + ` process RSS ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)} (was ${mib(heapBefore)} before the run)`);
  } finally {
    close();
    await server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

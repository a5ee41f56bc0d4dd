/**
 * The client side of bench/l2-convergence.bench.ts, in a worker thread so the client's HTTP and
 * ovs-vsctl spawning do not run on the controller's thread: creates the ports one request each
 * (`inFlight` at a time) and plugs each port's interface into br-int of its host as soon as the id is
 * known: per host, one ovs-vsctl transaction for the ports answered in ~20 ms (plugWindowMs; or 32 of them),
 * the hosts in parallel (see Plugger: what hypervisors booting many VMs do);
 * or (mode bind) binds ports whose interfaces are already plugged, one PUT each.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { interfaceNameFor } from '../src/topology/model.js';
import { ApiClient } from '../test/e2e/api-client.js';

export interface ClientJob {
  apiUrl: string;
  inFlight: number;
  /** create: POST each port with binding:host_id, then plug it; bind: PUT binding:host_id of plugged ports. */
  mode: 'create' | 'bind';
  /** networkId for create, the existing port's id for bind. */
  ports: Array<{ networkId: string; portId?: string; host: string }>;
  /**
   * HTTP client: 'http' = node:http with one keep-alive connection per request in flight (≈ 0.3 ms of
   * client CPU per request); 'fetch' = the tests' ApiClient (undici fetch, ≈ 1.4 ms per request, which on
   * 2 shared cores takes CPU from the controller and the switches).
   */
  client: 'http' | 'fetch';
  /**
   * Mode create: a host's plugger collects the ports answered within this many ms (from the first one
   * queued; PLUG_BATCH at most) into one ovs-vsctl transaction; null: every port of a host in one
   * ovs-vsctl transaction after the last API answer (the procedure of ../shared/tools/ovn-bench.sh).
   */
  plugWindowMs: number | null;
  /** OVS environment (OVS_RUNDIR...) of each host, for ovs-vsctl. */
  hostEnv: Record<string, Record<string, string>>;
}

/** Posted once the client is loaded; it then waits for any message before its first request. */
export interface ClientReady {
  ready: true;
}

export interface ClientDone {
  /** First request sent -> last API answer received. */
  apiMs: number;
  /** First request sent -> last interface plugged (mode create; = apiMs in mode bind). */
  plugMs: number;
  vsctlRuns: number;
}

const job = workerData as ClientJob;
let vsctlRuns = 0;

function vsctl(host: string, args: string[]): Promise<void> {
  vsctlRuns++;
  return new Promise((resolve, reject) => {
    const child = spawn('ovs-vsctl', ['--timeout=20', ...args], { env: { ...process.env, ...job.hostEnv[host] }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ovs-vsctl on ${host} exited with ${code}`))));
  });
}

/** A host's plugger puts at most this many ports in one transaction before the window has passed. */
const PLUG_BATCH = 32;

/**
 * One host's VIF plugging, as a hypervisor booting many VMs does it: the interfaces of the ports whose
 * POST has returned are added in one ovs-vsctl transaction (`-- add-port br-int tapA -- set interface
 * tapA type=dummy -- add-port ...`) once job.plugWindowMs has passed since the first of them was queued or
 * PLUG_BATCH are queued; one transaction at a time per host (what queues meanwhile goes into the next),
 * the hosts in parallel, overlapping with the API requests.
 */
class Plugger {
  private queue: string[] = [];
  private firstQueuedAt = 0;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closing = false;
  constructor(private readonly host: string) {}
  plug(iface: string): void {
    if (!this.queue.length) this.firstQueuedAt = performance.now();
    this.queue.push(iface);
    if (job.plugWindowMs === null) return;
    if (this.queue.length >= PLUG_BATCH) this.wake?.();
    this.running ??= this.drain();
  }
  /** No more ports will come: plug what is queued now (no window) and wait for it. */
  async done(): Promise<void> {
    this.closing = true;
    this.wake?.();
    this.running ??= this.queue.length ? this.drain() : undefined;
    while (this.running) await this.running;
  }
  private async drain(): Promise<void> {
    while (this.queue.length) {
      const wait = this.firstQueuedAt + (job.plugWindowMs ?? 0) - performance.now();
      if (!this.closing && this.queue.length < PLUG_BATCH && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
      const batch = this.queue.splice(0);
      await vsctl(this.host, batch.flatMap((i) => ['--', 'add-port', 'br-int', i, '--', 'set', 'interface', i, 'type=dummy']));
    }
    this.running = undefined;
  }
}

const api = new ApiClient(job.apiUrl);
const agent = new Agent({ keepAlive: true, maxSockets: job.inFlight });

/** One JSON request over a kept-alive connection. */
function call<T>(method: string, path: string, body: unknown): Promise<T> {
  const payload = JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(`${job.apiUrl}${path}`, {
      method,
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode! >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as T);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function bindPort(id: string, host: string): Promise<void> {
  if (job.client === 'fetch') await api.bindPort(id, host);
  else await call('PUT', `/v2.0/ports/${id}`, { port: { 'binding:host_id': host } });
}

async function createPort(networkId: string, host: string): Promise<string> {
  if (job.client === 'fetch') return (await api.createPort(networkId, host)).id;
  return (await call<{ port: { id: string } }>('POST', '/v2.0/ports', { port: { network_id: networkId, 'binding:host_id': host } })).port.id;
}

const pluggers = new Map(Object.keys(job.hostEnv).map((h) => [h, new Plugger(h)]));
// Loaded: the timed part starts with the first request, not with this thread's start-up.
parentPort!.postMessage({ ready: true } satisfies ClientReady);
await new Promise((resolve) => parentPort!.once('message', resolve));
const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: job.inFlight }, async () => {
  while (next < job.ports.length) {
    const { networkId, portId, host } = job.ports[next++];
    if (job.mode === 'bind') {
      await bindPort(portId!, host);
    } else {
      pluggers.get(host)!.plug(interfaceNameFor(await createPort(networkId, host)));
    }
  }
}));
const apiMs = performance.now() - started;
await Promise.all([...pluggers.values()].map((p) => p.done()));
const done: ClientDone = { apiMs, plugMs: performance.now() - started, vsctlRuns };
agent.destroy();
parentPort!.postMessage(done);

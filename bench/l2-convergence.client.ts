/**
 * The client side of bench/l2-convergence.bench.ts, in a worker thread so the client's HTTP and
 * ovs-vsctl spawning do not run on the controller's thread: creates the ports one request each
 * (`inFlight` at a time) and plugs each port's interface into br-int of its host as soon as the id is
 * known, batching per host what queued while the previous ovs-vsctl ran (what Nova does on each host);
 * or (mode bind) binds ports whose interfaces are already plugged, one PUT each.
 */
import { spawn } from 'node:child_process';
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
  /** OVS environment (OVS_RUNDIR...) of each host, for ovs-vsctl. */
  hostEnv: Record<string, Record<string, string>>;
}

export interface ClientDone {
  apiMs: number;
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

class Plugger {
  private queue: string[] = [];
  private running: Promise<void> | undefined;
  constructor(private readonly host: string) {}
  plug(iface: string): void {
    this.queue.push(iface);
    this.running ??= this.drain();
  }
  async done(): Promise<void> {
    while (this.running) await this.running;
  }
  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      await vsctl(this.host, batch.flatMap((i) => ['--', 'add-port', 'br-int', i, '--', 'set', 'interface', i, 'type=dummy']));
    }
    this.running = undefined;
  }
}

const api = new ApiClient(job.apiUrl);
const pluggers = new Map(Object.keys(job.hostEnv).map((h) => [h, new Plugger(h)]));
const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: job.inFlight }, async () => {
  while (next < job.ports.length) {
    const { networkId, portId, host } = job.ports[next++];
    if (job.mode === 'bind') {
      await api.bindPort(portId!, host);
    } else {
      const port = await api.createPort(networkId, host);
      pluggers.get(host)!.plug(interfaceNameFor(port.id));
    }
  }
}));
const apiMs = performance.now() - started;
for (const p of pluggers.values()) await p.done();
const done: ClientDone = { apiMs, plugMs: performance.now() - started, vsctlRuns };
parentPort!.postMessage(done);

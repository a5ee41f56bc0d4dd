/**
 * L2 convergence benchmark: `npm run bench:l2` (root; real OVS: a 3-host lab on the dummy datapath).
 * An in-process controller (store + API + OpenFlow server + flow loop), 10 vxlan networks x 100 ports
 * created through the HTTP API one request per port (8 in flight) with binding:host_id round-robin
 * over 3 hosts; then every port's interface is plugged into br-int, per host in ONE ovs-vsctl transaction
 * after the last API answer, the hosts in parallel: the procedure of the OVN baseline it is compared with
 * (../shared/tools/ovn-bench.sh: NB writes one per port, then one ovs-vsctl adding every VIF), so the two
 * totals measure the same thing. `--plug-window MS` plugs instead while the requests run, as Nova plugging
 * VMs as they boot would: per host one ovs-vsctl transaction for the ports answered within MS (or 32 of
 * them), each transaction making that host's ovs-vswitchd reconfigure on the same 2 cores.
 * `--bind` instead pre-creates the ports unbound and
 * plugs them (untimed), then times 1,000 PUT binding:host_id requests: the controller's share alone,
 * without the 3 ovs-vswitchd re-configuring for new ports on the same cores.
 * Measures: first request -> every bridge's flows acknowledged (bundle commit replies; the clock starts
 * when the loaded client sends its first request, not while the worker boots), split into the API part
 * (first request -> last answer, client side) and the flows part (last answer -> every bridge acked);
 * flows per host and per port, heap, and one more port at 1,000: the binding request (PUT
 * binding:host_id on a plugged port) -> acknowledged flows on its host and on every host.
 * The client uses node:http keep-alive (`--client fetch`: the tests' fetch ApiClient, ≈ 4x the client
 * CPU per request, taken from the same 2 cores as the controller and the switches).
 * `L2_MARK=1` prints the timed window in the clock of `--cpu-prof` profiles.
 * Then (mode create; the controller and the lab stopped first) the OVN baseline of the same procedure on the
 * same machine, in the same run (bench/ovn-l2-baseline.ts: OVN 23.03, L2 only, one chassis per host; installs
 * OVN through scripts/bench-deps.sh if missing), and the ratio. `--no-ovn` skips it; `--ovn-chassis N`,
 * `--ovn-nb-client process` (an ovn-nbctl process per NB transaction, as ovn-bench.sh; default: one kept-open
 * connection to the ovn-nbctl daemon, OVN's best case), `--ovn-keep` (keep its logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { filter, firstValueFrom } from 'rxjs';
import { startController, type Controller } from '../src/controller/index.js';
import { Lab } from '../src/lab/index.js';
import { interfaceNameFor } from '../src/topology/model.js';
import { createLogger } from '../src/util/log.js';
import { addFlowTunnelPort } from '../test/apps/lab-topology.js';
import { ApiClient, waitFor } from '../test/e2e/api-client.js';
import { freePort } from '../test/support/processes.js';
import type { ClientDone, ClientJob, ClientReady } from './l2-convergence.client.js';
import { ovnOptions, ovnReport, runOvnL2Baseline } from './ovn-l2-baseline.js';

const NETWORKS = 10;
const PORTS_PER_NETWORK = 100;
const HOSTS = ['h1', 'h2', 'h3'];
const IN_FLIGHT = 8;
const EXTRA_PORTS = 5;
/** `--bind`: time binding 1,000 already plugged ports instead of creating and plugging them. */
const MODE: ClientJob['mode'] = process.argv.includes('--bind') ? 'bind' : 'create';
/** `--client fetch`: the tests' fetch-based ApiClient instead of node:http keep-alive (see ClientJob.client). */
const CLIENT: ClientJob['client'] = process.argv.includes('--client') && process.argv[process.argv.indexOf('--client') + 1] === 'fetch' ? 'fetch' : 'http';
/**
 * `--plug-window MS` (mode create): each host plugs the ports answered within MS (from the first queued, at
 * most 32) in one ovs-vsctl transaction while the requests run. The total depends strongly on it: every
 * transaction makes the host's ovs-vswitchd reconfigure (≈ 15-60 ms of CPU, growing with br-int's ports)
 * on the shared cores. Default `after`: each host's ports in one transaction after the last answer.
 */
const PLUG_WINDOW_ARG = process.argv.includes('--plug-window') ? process.argv[process.argv.indexOf('--plug-window') + 1] : 'after';
const PLUG_WINDOW_MS = PLUG_WINDOW_ARG === 'after' ? null : Number(PLUG_WINDOW_ARG);
if (PLUG_WINDOW_MS !== null && !(PLUG_WINDOW_MS >= 0)) throw new Error('--plug-window takes a number of milliseconds or "after"');
const TARGET = { totalMs: 1500, flowsPerPort: 20, oneMorePortMs: 20 };
const OVN = ovnOptions(process.argv, HOSTS.length);

let ctl: Controller;
let api: ApiClient;
let lab: Lab;

async function setUp(): Promise<void> {
  for (const h of HOSTS) {
    await addFlowTunnelPort(lab.host(h));
    await api.createHost(h, lab.tunnelIp(h));
  }
  await waitFor('every bridge attached', () => [...ctl.server.switches.values()].filter((s) => ctl.loop.isAttached(s)).length === HOSTS.length * 3, 30_000);
  await ctl.loop.idle();
}

async function createNetworks(): Promise<string[]> {
  const networks: string[] = [];
  for (let n = 0; n < NETWORKS; n++) {
    const id = await api.createNetwork(`bench-${n}`);
    await api.createSubnet(id, `10.${n}.0.0/22`);
    networks.push(id);
  }
  return networks;
}

/** Mode bind, untimed part: the ports exist unbound and their interfaces are plugged (no flows yet). */
async function prepareBinding(networks: string[]): Promise<ClientJob['ports']> {
  const specs = Array.from({ length: NETWORKS * PORTS_PER_NETWORK }, (_, i) => ({ network_id: networks[i % NETWORKS] }));
  const created = (await api.call<{ ports: Array<{ id: string }> }>('POST', '/v2.0/ports', { ports: specs })).ports;
  const ports = created.map((p, i) => ({ networkId: specs[i].network_id, portId: p.id, host: HOSTS[i % HOSTS.length] }));
  for (const h of HOSTS) {
    const ifaces = ports.filter((p) => p.host === h).map((p) => interfaceNameFor(p.portId));
    await lab.host(h).vsctl(...ifaces.flatMap((i) => ['--', 'add-port', 'br-int', i, '--', 'set', 'interface', i, 'type=dummy']));
  }
  await ctl.loop.idle();
  return ports;
}

interface Converged {
  /** First request sent -> every bridge's flows acknowledged. */
  totalMs: number;
  client: ClientDone;
  /** The client's last answer (and, mode create, plug) -> every bridge acknowledged. */
  afterApiMs: number;
  recomputes: number;
  recomputeMs: number;
}

/** `L2_MARK=1`: print the timed window in CLOCK_MONOTONIC µs (the clock of --cpu-prof profiles), to cut a profile to it. */
function mark(what: string): void {
  if (process.env.L2_MARK) console.log(`  [mark] ${what} ${process.hrtime.bigint() / 1000n} us`);
}

async function convergeThousandPorts(mode: ClientJob['mode']): Promise<Converged> {
  const networks = await createNetworks();
  await ctl.loop.idle();
  const job: ClientJob = {
    apiUrl: ctl.apiUrl,
    inFlight: IN_FLIGHT,
    mode,
    client: CLIENT,
    plugWindowMs: PLUG_WINDOW_MS,
    ports: mode === 'bind'
      ? await prepareBinding(networks)
      : Array.from({ length: NETWORKS * PORTS_PER_NETWORK }, (_, i) => ({ networkId: networks[i % NETWORKS], host: HOSTS[i % HOSTS.length] })),
    hostEnv: Object.fromEntries(HOSTS.map((h) => [h, lab.host(h).env])),
  };
  // tsx's loader does not reach worker threads by itself: the worker loads the client through tsx's API.
  const client = new URL('./l2-convergence.client.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(client)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  const messages: Array<(m: ClientReady | ClientDone) => void> = [];
  worker.on('message', (m: ClientReady | ClientDone) => messages.shift()?.(m));
  const next = <T,>(): Promise<T> => new Promise<T>((resolve, reject) => {
    messages.push((m) => resolve(m as T));
    worker.once('error', reject);
  });
  // The clock starts when the loaded client sends its first request (not while the worker boots).
  await next<ClientReady>();
  const before = { ...ctl.loop.stats };
  const started = performance.now();
  mark('timed start');
  const finished = next<ClientDone>();
  worker.postMessage('go');
  const done = await finished;
  const apiDoneAt = performance.now();
  // Until every port counts as plugged (mode create: the switches' port events may still come) and the
  // loop is idle; polled every 2 ms, not waitFor's 20 ms, which would add up to 20 ms to the result.
  const deadline = performance.now() + 60_000;
  for (;;) {
    await ctl.loop.idle();
    if (ctl.loop.pluggedPorts.size === job.ports.length) break;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${job.ports.length} ports plugged`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const convergedAt = performance.now();
  mark('timed end');
  await worker.terminate();
  const { recomputes, recomputeMs } = ctl.loop.stats;
  return {
    totalMs: convergedAt - started,
    client: done,
    afterApiMs: convergedAt - apiDoneAt,
    recomputes: recomputes - before.recomputes,
    recomputeMs: recomputeMs - before.recomputeMs,
  };
}

function flowCounts(): { perHost: Record<string, number>; total: number } {
  const perHost: Record<string, number> = {};
  for (const h of HOSTS) {
    perHost[h] = ['br-int', 'br-tun', 'br-ex'].reduce((n, b) => n + ctl.reconciler.desired(`${h}/${b}`).length, 0);
  }
  return { perHost, total: Object.values(perHost).reduce((a, b) => a + b, 0) };
}

/** The switches really hold what the controller wanted (so the timings are of real work). */
async function checkInstalled(): Promise<void> {
  for (const h of HOSTS) {
    for (const b of ['br-int', 'br-tun']) {
      const installed = (await lab.host(h).dumpFlows(b)).length;
      const desired = ctl.reconciler.desired(`${h}/${b}`).length;
      if (installed !== desired) throw new Error(`${h}/${b}: ${installed} flows installed, ${desired} desired`);
    }
  }
}

function memory(): { heapMb: number; rssMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

/** An unbound port, plugged on h1; timed: the PUT that binds it -> acknowledged flows. */
async function oneMorePort(): Promise<Array<{ ownHostMs: number; allHostsMs: number; flowMods: number; computeMs: number }>> {
  const out = [];
  const network = (await api.call<{ networks: Array<{ id: string }> }>('GET', '/v2.0/networks?name=bench-0')).networks[0].id;
  for (let i = 0; i < EXTRA_PORTS; i++) {
    const port = (await api.call<{ port: { id: string } }>('POST', '/v2.0/ports', { port: { network_id: network } })).port;
    const iface = interfaceNameFor(port.id);
    await lab.host('h1').vsctl('add-port', 'br-int', iface, '--', 'set', 'interface', iface, 'type=dummy');
    await ctl.loop.idle();
    // A single change on a quiet controller (not the tail of a burst).
    await new Promise((r) => setTimeout(r, 100));
    const modsBefore = totalFlowMods();
    const computedBefore = ctl.loop.stats.recomputeMs;
    const ownHost = firstValueFrom(ctl.loop.reconciled$.pipe(filter((r) => r.bridge === 'h1/br-int' && r.flowMods > 0)));
    const started = performance.now();
    await api.bindPort(port.id, 'h1');
    await ownHost;
    const ownHostMs = performance.now() - started;
    await ctl.loop.idle();
    out.push({ ownHostMs, allHostsMs: performance.now() - started, flowMods: totalFlowMods() - modsBefore, computeMs: ctl.loop.stats.recomputeMs - computedBefore });
  }
  return out;
}

function totalFlowMods(): number {
  return [...ctl.loop.counters.values()].reduce((n, c) => n + c.flowMods, 0);
}

function report(
  c: Converged,
  flows: ReturnType<typeof flowCounts>,
  heap: ReturnType<typeof memory>,
  oneMore: Awaited<ReturnType<typeof oneMorePort>>,
): void {
  const ports = NETWORKS * PORTS_PER_NETWORK;
  const perPort = flows.total / ports;
  const own = oneMore.map((o) => o.ownHostMs).sort((a, b) => a - b);
  const mark = (ok: boolean): string => (ok ? '✓' : '✗');
  const how = MODE === 'bind'
    ? `mode bind (--bind): ${ports} PUT binding:host_id of ports created unbound and plugged beforehand (untimed): the controller's share`
    : `mode create (default; --bind for the controller's share alone): ${ports} POST with binding:host_id, ${PLUG_WINDOW_MS === null
      ? 'then each host\'s interfaces plugged in one ovs-vsctl transaction (as ovn-bench.sh does; --plug-window MS to plug while the requests run)'
      : `each plugged with ovs-vsctl while the requests run (--plug-window ${PLUG_WINDOW_MS} ms)`}`;
  console.log(`L2 convergence, ${NETWORKS} vxlan networks x ${PORTS_PER_NETWORK} ports on ${HOSTS.length} hosts (dummy datapath), ${IN_FLIGHT} requests in flight`);
  console.log(`  ${how}`);
  console.log(`  API: ${ports} requests answered in ${c.client.apiMs.toFixed(0)} ms (first request -> last answer, client side, ${CLIENT === 'http' ? 'node:http keep-alive' : 'fetch'} client)${MODE === 'create' ? `; all interfaces plugged after ${c.client.plugMs.toFixed(0)} ms (${c.client.vsctlRuns} ovs-vsctl runs)` : ''}`);
  console.log(`  flows: every bridge acked ${c.afterApiMs.toFixed(0)} ms after the client's last ${MODE === 'create' ? 'plug' : 'answer'}; controller: ${c.recomputes} recomputes, ${c.recomputeMs.toFixed(0)} ms computing`);
  console.log(`  first request -> all bridges acked: ${c.totalMs.toFixed(0)} ms  target ≤ ${TARGET.totalMs} ms ${mark(c.totalMs <= TARGET.totalMs)}`);
  console.log(`  flows: ${flows.total} (${Object.entries(flows.perHost).map(([h, n]) => `${h} ${n}`).join(', ')}) = ${perPort.toFixed(2)} per port  target ≤ ${TARGET.flowsPerPort} ${mark(perPort <= TARGET.flowsPerPort)}`);
  console.log(`  process heap after GC: ${heap.heapMb.toFixed(1)} MB, rss ${heap.rssMb.toFixed(1)} MB (controller + lab harness)`);
  console.log(`  one more port at ${ports}: bind request -> flows acked on its host: median ${own[own.length >> 1].toFixed(1)} ms, max ${own[own.length - 1].toFixed(1)} ms  target ≤ ${TARGET.oneMorePortMs} ms ${mark(own[own.length >> 1] <= TARGET.oneMorePortMs)}`);
  console.log(`    on every host: ${oneMore.map((o) => o.allHostsMs.toFixed(1)).join(', ')} ms; flow-mods per port: ${oneMore.map((o) => o.flowMods).join(', ')}; controller computing: ${oneMore.map((o) => o.computeMs.toFixed(1)).join(', ')} ms`);
}

/** Returns our total (first request -> all bridges acked), for the OVN ratio. */
async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-bench-l2-'));
  const ofPort = await freePort();
  ctl = await startController({ dbPath: join(dir, 'neutrino.db'), apiPort: 0, ofPort, ofHost: '127.0.0.1' }, createLogger('warn'));
  api = new ApiClient(ctl.apiUrl);
  try {
    lab = await Lab.start({ name: 'bench', hosts: HOSTS, datapath: 'dummy', controller: { port: ofPort } });
    await setUp();
    const converged = await convergeThousandPorts(MODE);
    const flows = flowCounts();
    await checkInstalled();
    const heap = memory();
    const oneMore = await oneMorePort();
    report(converged, flows, heap, oneMore);
    return converged.totalMs;
  } finally {
    await ctl.stop();
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const oursMs = await main();
if (process.argv.includes('--no-ovn')) console.log('OVN baseline: skipped (--no-ovn)');
else if (MODE !== 'create') console.log('OVN baseline: skipped in mode bind (it times creating and plugging the ports: the default mode)');
else for (const line of ovnReport(await runOvnL2Baseline({ networks: NETWORKS, portsPerNetwork: PORTS_PER_NETWORK, ...OVN }), oursMs)) console.log(line);

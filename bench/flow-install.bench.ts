/**
 * Flow installation into a real ovs-vswitchd, ours against `ovs-ofctl --bundle add-flows` in the
 * same run: `npm run bench:flows` (options: `-- --sizes 10000,100000 --variants plain,ct --runs 3`).
 *
 * ours:    a fresh bridge connects to our OpenFlowServer, the Reconciler attaches (empty), then
 *          `setDesired(N flows)` is timed until the bundle's commit reply (identity encoding,
 *          ONE atomic bundle, streamed as the flows are encoded since the bridge is empty).
 *          Parsing the text into DesiredFlow objects is timed apart:
 *          apps build flows with MatchBuilder, not from text.
 * ovs-ofctl: `ovs-ofctl -O OpenFlow13 --bundle add-flows` of the same lines into a fresh bridge,
 *          timed until it exits (it waits for the commit reply): process start + parse + bundle.
 * Both: `dump-aggregate` must show N flows afterwards. Then our bridge's connection is dropped and
 * the reconnect reconcile (dump + diff) is timed; it must send 0 flow-mods. Medians of --runs.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { filter, firstValueFrom, Subject } from 'rxjs';
import { Reconciler, type ReconcileResult } from '../src/reconciler/index.js';
import { OpenFlowServer, type SwitchSession } from '../src/switch/index.js';
import { OvsSandbox } from '../test/support/ovs-sandbox.js';
import { desiredFlows, flowLines, type FlowVariant } from './flow-sets.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}
const sizes = option('sizes', '10000,100000').split(',').map(Number);
const variants = option('variants', 'plain,ct').split(',') as FlowVariant[];
const runs = Number(option('runs', '3'));
/** `--profile FILE`: a V8 CPU profile of the last timed setDesired window (open in Chrome DevTools). */
const profileFile = option('profile', '');
/** `--stream off`: encode the whole set before sending (the path of a bridge that already holds flows). */
const stream = option('stream', 'on') !== 'off';

interface Connected {
  session: SwitchSession;
  result: ReconcileResult;
}

interface RunResult {
  oursMs: number;
  oursCpuMs: number;
  parseMs: number;
  ofctlMs: number;
  reconnectMs: number;
  reconnectFlowMods: number;
}

const log = pino({ level: 'silent' });
const sb = await OvsSandbox.start();
const server = new OpenFlowServer(log, {
  host: '127.0.0.1',
  port: 0,
  // A 100k-flow bundle keeps vswitchd busy for a while: no dead-peer drops, no request timeouts.
  session: { requestTimeoutMs: 120_000, deadAfterMs: 120_000 },
});
await server.listen();
const rec = new Reconciler(log, stream ? {} : { streamMinFlows: Infinity });
const profiler = profileFile ? new InspectorSession() : undefined;
profiler?.connect();
await profiler?.post('Profiler.enable');
const connects = new Subject<Connected>();
server.up$.subscribe((session) => {
  rec.attach(session).then(
    (result) => connects.next({ session, result }),
    (err: unknown) => console.error(`attach of ${session.name} failed:`, err),
  );
});

const nextConnect = (key: string): Promise<Connected> => firstValueFrom(connects.pipe(filter((c) => c.session.identity?.key === key)));
const nextDown = (key: string): Promise<unknown> => firstValueFrom(server.down$.pipe(filter((d) => d.session.identity?.key === key)));

function addBridge(name: string, controller: boolean): void {
  const ctl = controller
    ? ['--', 'set-controller', name, `tcp:127.0.0.1:${server.port}`, '--', 'set', 'controller', name, 'max_backoff=1000']
    : [];
  sb.vsctl('add-br', name, '--', 'set', 'bridge', name, 'datapath_type=netdev', 'fail-mode=secure', 'protocols=OpenFlow13',
    `other-config:dp-desc="bench ${name}"`, ...ctl);
}

function flowCount(bridge: string): number {
  const m = /flow_count=(\d+)/.exec(sb.ofctl('dump-aggregate', bridge));
  if (!m) throw new Error(`no flow_count in dump-aggregate of ${bridge}`);
  return Number(m[1]);
}

function expectCount(bridge: string, n: number): void {
  const got = flowCount(bridge);
  if (got !== n) throw new Error(`${bridge} holds ${got} flows, expected ${n}`);
}

/** Deletes a bridge and lets vswitchd finish freeing its flows before the next timed run. */
async function deleteBridge(name: string): Promise<void> {
  sb.vsctl('del-br', name);
  await new Promise((r) => setTimeout(r, 300));
}

function runOfctl(bridge: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('ovs-ofctl', ['-O', 'OpenFlow13', '--bundle', 'add-flows', bridge, file], { env: sb.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`ovs-ofctl add-flows failed: ${err}`))));
  });
}

async function oursRun(lines: readonly string[]): Promise<Omit<RunResult, 'ofctlMs'>> {
  const name = 'bours';
  const key = `bench/${name}`;
  const attached = nextConnect(key);
  addBridge(name, true);
  const { session } = await attached;

  const p0 = performance.now();
  const flows = desiredFlows(lines);
  const parseMs = performance.now() - p0;

  await profiler?.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await rec.setDesired(key, flows);
  const oursMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await profiler?.post('Profiler.stop').then(({ profile }) => writeFileSync(profileFile, JSON.stringify(profile)));
  if (result?.flowMods !== lines.length) throw new Error(`setDesired sent ${result?.flowMods} flow-mods, expected ${lines.length}`);
  expectCount(name, lines.length);

  // Reconnect with nothing changed: dump + diff, and nothing may be sent.
  const again = nextConnect(key);
  session.close('bench: reconnect');
  const back = await again;
  const reconnectFlowMods = back.result.flowMods + (back.session.sentCounts.get('flow_mod') ?? 0);
  expectCount(name, lines.length);

  const down = nextDown(key);
  await deleteBridge(name);
  await down;
  await rec.setDesired(key, []); // bridge gone: just forgets the desired set (frees its memory)
  return { oursMs, oursCpuMs: (cpu.user + cpu.system) / 1000, parseMs, reconnectMs: back.result.ms, reconnectFlowMods };
}

async function ofctlRun(lines: readonly string[], file: string): Promise<number> {
  const name = 'bofctl';
  addBridge(name, false);
  const ms = await runOfctl(name, file);
  expectCount(name, lines.length);
  await deleteBridge(name);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n: number, ms: number): string => `${Math.round(n / ms).toLocaleString('en-US')}k/s`.padStart(9);
const msCol = (ms: number): string => `${ms.toFixed(0)} ms`.padStart(8);

console.log(`flow install into ovs-vswitchd ${sb.vsctl('--version').split('\n')[0].split(' ').pop()}, node ${process.version}; median of ${runs} runs; streaming ${stream ? 'on' : 'off'}`);
console.log('variant      N   ours(setDesired)    ours CPU  parse text   ovs-ofctl --bundle   ratio  reconnect(dump+diff) flow-mods');
try {
  for (const variant of variants) {
    for (const n of sizes) {
      const lines = flowLines(variant, n);
      const file = join(sb.dir, `flows-${variant}-${n}.txt`);
      writeFileSync(file, lines.join('\n') + '\n');
      const results: RunResult[] = [];
      for (let r = 0; r < runs; r++) {
        // Alternate who goes first, so a noisy neighbour hurts both sides alike.
        let ofctlMs = r % 2 ? await ofctlRun(lines, file) : 0;
        const ours = await oursRun(lines);
        if (r % 2 === 0) ofctlMs = await ofctlRun(lines, file);
        results.push({ ...ours, ofctlMs });
      }
      const m = (k: keyof RunResult): number => median(results.map((x) => x[k]));
      const flowMods = Math.max(...results.map((x) => x.reconnectFlowMods));
      console.log(
        `${variant.padEnd(7)}${String(n).padStart(7)} ${msCol(m('oursMs'))}${rate(n, m('oursMs'))} ${msCol(m('oursCpuMs'))} ${msCol(m('parseMs'))}  ` +
          `${msCol(m('ofctlMs'))}${rate(n, m('ofctlMs'))}  ${(m('oursMs') / m('ofctlMs')).toFixed(2).padStart(6)}  ${msCol(m('reconnectMs')).padStart(20)} ${String(flowMods).padStart(9)}`,
      );
      console.log(`    runs: ours ${results.map((x) => x.oursMs.toFixed(0)).join('/')} ms, ofctl ${results.map((x) => x.ofctlMs.toFixed(0)).join('/')} ms, reconnect ${results.map((x) => x.reconnectMs.toFixed(0)).join('/')} ms`);
    }
  }
  console.log('ratio = ours / ovs-ofctl in time (<= 1.00: ours at least as fast). ours CPU = this process, during setDesired.');
  console.log('reconnect = ReconcileResult.ms of the re-attach (FLOW dump of all tables + diff); flow-mods = FLOW_MODs it sent.');
} finally {
  await server.close();
  await sb.stop();
}

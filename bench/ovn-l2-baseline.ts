/**
 * OVN baseline of bench/l2-convergence.bench.ts, measured in the same run: the L2 part of the "seq" mode
 * of the shared ovn-bench.sh (OVN 23.03 from Debian's ovn-central + ovn-host), rebuilt here so that the
 * project needs nothing outside itself.
 *
 * A private OVN stack in a mkdtemp directory (OVS_RUNDIR / OVN_RUNDIR / OVS_DBDIR ... all point into it):
 * ovsdb-server for OVN_Northbound and for OVN_Southbound, ovn-northd, and per chassis an ovsdb-server
 * (Open_vSwitch), `ovs-vswitchd --enable-dummy=override --disable-system`, br-int (fail-mode secure) and
 * ovn-controller (system-id, ovn-remote, ovn-encap-type=geneve, ovn-encap-ip=127.0.0.C). Every daemon is a
 * child of this process except the `ovn-nbctl --detach` daemon (killed by its pidfile); all are stopped and
 * the directory removed at the end, also on error, SIGINT/SIGTERM or exit.
 *
 * Untimed: the logical switches (our bench creates its networks before its clock starts too).
 * Timed from the first NB write: one NB transaction per port (`lsp-add` + `lsp-set-addresses` +
 * `lsp-set-port-security` "MAC IP"), in the order of our bench (port i on switch i % N, chassis i % C),
 * one after the other through the `ovn-nbctl --detach` daemon, sent on one kept-open connection to its
 * control socket (default: OVN's best case, like our bench's keep-alive HTTP client) or, `nbClient:
 * 'process'`, each from an `ovn-nbctl` client process with OVN_NB_DAEMON (as ovn-bench.sh);
 * then per chassis ONE ovs-vsctl adding its VIFs to br-int with external_ids:iface-id (the chassis in
 * parallel); then `ovn-nbctl --wait=hv sync`; then polling until every LSP has up=true (what Neutron
 * waits for). L2 only: no router, no ACLs / port group, no NAT.
 *
 * Standalone: `npx tsx bench/ovn-l2-baseline.ts [--networks 10] [--ports 100] [--runs 1] [--ovn-chassis 1]
 * [--ovn-nb-client process|socket] [--ovn-keep]` (the last three are also options of `npm run bench:l2`).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OvnL2Options {
  networks: number;
  portsPerNetwork: number;
  /** Hypervisors (each: ovsdb-server + ovs-vswitchd + ovn-controller); ports round-robin over them. */
  chassis: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Keep the directory (logs) instead of removing it. */
  keep?: boolean;
  /**
   * How the per-port NB transactions reach the `ovn-nbctl --detach` daemon: 'socket' (default): the
   * commands as unixctl "run" requests on one kept-open connection to the daemon's control socket (no
   * process start per port: a CMS with a persistent connection, OVN's best case); 'process' (as
   * ovn-bench.sh): one `ovn-nbctl` client process per port with OVN_NB_DAEMON, which on 2 shared cores
   * is most of OVN's total and swings with the load.
   */
  nbClient?: 'process' | 'socket';
}

export interface OvnL2Result {
  /** e.g. "23.03.1" */
  version: string;
  networks: number;
  portsPerNetwork: number;
  chassis: number;
  nbClient: 'process' | 'socket';
  /** From the first NB write: the last per-port NB transaction committed. */
  nbMs: number;
  /** ... every chassis' ovs-vsctl (adding its VIFs) returned. */
  plugMs: number;
  /** ... `ovn-nbctl --wait=hv sync` returned. */
  waitHvMs: number;
  /** ... every Logical_Switch_Port has up=true. */
  allUpMs: number;
  /** Port_Binding rows with a chassis. */
  bound: number;
  /** OpenFlow flow entries on br-int (dump-aggregate flow_count), per chassis. */
  flows: number[];
  /** ovn-controller VmRSS / VmHWM in MiB, per chassis. */
  controllerRssMb: number[];
  controllerHwmMb: number[];
  northdRssMb: number;
  vswitchdRssMb: number[];
}

const NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema';
const SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema';
const OVS_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const TOOLS = ['ovn-nbctl', 'ovn-sbctl', 'ovn-northd', 'ovn-controller', 'ovsdb-server', 'ovsdb-tool', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl'];
const DEPS_SCRIPT = fileURLToPath(new URL('../scripts/bench-deps.sh', import.meta.url));
const WAIT_MS = 600_000;

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Installs OVN (scripts/bench-deps.sh ovn: apt-get install ovn-central ovn-host) if a tool is missing. */
export function ensureOvn(): void {
  if (TOOLS.every(has)) return;
  const r = spawnSync('bash', [DEPS_SCRIPT, 'ovn'], { stdio: 'inherit' });
  if (r.status !== 0 || !TOOLS.every(has)) throw new Error(`OVN is not installed (${DEPS_SCRIPT} ovn failed)`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' ...' : ''} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForPath(path: string, proc: ChildProcess, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode})`);
    if (Date.now() > deadline) throw new Error(`${what}: ${path} did not appear within ${timeoutMs} ms`);
    await sleep(10);
  }
}

function procStatusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return NaN;
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The private stack: NB + SB ovsdb-servers, northd, and per chassis Open_vSwitch ovsdb-server, vswitchd, ovn-controller. */
class OvnStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'neutrino-ovn-'));
  /** Central env: ovn-nbctl / ovn-sbctl / northd. */
  readonly env: NodeJS.ProcessEnv;
  private readonly procs: Array<{ name: string; proc: ChildProcess }> = [];
  private nbctlDaemonPid: number | undefined;
  private stopped = false;

  constructor(private readonly opts: OvnL2Options) {
    const d = this.dir;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OVS_RUNDIR: d, OVS_LOGDIR: d, OVS_DBDIR: d, OVS_SYSCONFDIR: d,
      OVN_RUNDIR: d, OVN_LOGDIR: d, OVN_DBDIR: d, OVN_SYSCONFDIR: d,
      OVN_NB_DB: `unix:${join(d, 'ovnnb_db.sock')}`, OVN_SB_DB: `unix:${join(d, 'ovnsb_db.sock')}`,
      DB_SOCK: `unix:${join(d, 'db.sock')}`,
    };
    delete env.OVN_NB_DAEMON;
    this.env = env;
  }

  /** A chassis' own directory and environment (ovs-vsctl, ovs-ofctl and ovn-controller find its daemons there). */
  hv(c: number): { dir: string; env: NodeJS.ProcessEnv; db: string; name: string } {
    const dir = join(this.dir, `hv${c}`);
    return {
      dir,
      env: { ...this.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir, OVN_RUNDIR: dir, OVN_LOGDIR: dir, DB_SOCK: `unix:${join(dir, 'db.sock')}` },
      db: `unix:${join(dir, 'db.sock')}`,
      name: `neutrino-hv${c}`,
    };
  }

  pid(name: string): number | undefined {
    return this.procs.find((p) => p.name === name)?.proc.pid;
  }

  /** A daemon in the foreground, child of this process; console logging off, stderr into <name>.err. */
  private daemon(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, dir: string): ChildProcess {
    const err = openSync(join(dir, `${name}.err`), 'a');
    const proc = spawn(cmd, [...args, '--no-chdir', `--pidfile=${join(dir, `${name}.pid`)}`, `--log-file=${join(dir, `${name}.log`)}`, '-vconsole:off'], {
      env, stdio: ['ignore', 'ignore', err],
    });
    closeSync(err);
    proc.on('error', () => {});
    this.procs.push({ name, proc });
    return proc;
  }

  async start(): Promise<void> {
    const d = this.dir;
    const log = this.opts.log ?? (() => {});
    await run('ovsdb-tool', ['create', join(d, 'nb.db'), NB_SCHEMA], this.env);
    await run('ovsdb-tool', ['create', join(d, 'sb.db'), SB_SCHEMA], this.env);
    const nb = this.daemon('nb', 'ovsdb-server', [`--unixctl=${join(d, 'nb.ctl')}`, `--remote=punix:${join(d, 'ovnnb_db.sock')}`, join(d, 'nb.db')], this.env, d);
    const sb = this.daemon('sb', 'ovsdb-server', [`--unixctl=${join(d, 'sb.ctl')}`, `--remote=punix:${join(d, 'ovnsb_db.sock')}`, join(d, 'sb.db')], this.env, d);
    await waitForPath(join(d, 'ovnnb_db.sock'), nb, 'NB ovsdb-server');
    await waitForPath(join(d, 'ovnsb_db.sock'), sb, 'SB ovsdb-server');
    const northd = this.daemon('northd', 'ovn-northd', [`--unixctl=${join(d, 'northd.ctl')}`, `--ovnnb-db=${this.env.OVN_NB_DB}`, `--ovnsb-db=${this.env.OVN_SB_DB}`], this.env, d);
    await waitForPath(join(d, 'northd.ctl'), northd, 'ovn-northd');
    for (let c = 1; c <= this.opts.chassis; c++) {
      const hv = this.hv(c);
      mkdirSync(hv.dir);
      await run('ovsdb-tool', ['create', join(hv.dir, 'conf.db'), OVS_SCHEMA], hv.env);
      const db = this.daemon(`hv${c}-ovsdb`, 'ovsdb-server', [`--unixctl=${join(hv.dir, 'ovsdb-server.ctl')}`, `--remote=punix:${join(hv.dir, 'db.sock')}`, join(hv.dir, 'conf.db')], hv.env, hv.dir);
      await waitForPath(join(hv.dir, 'db.sock'), db, `chassis ${c} ovsdb-server`);
      await run('ovs-vsctl', [`--db=${hv.db}`, '--no-wait', 'init'], hv.env);
      const vswitchd = this.daemon(`hv${c}-vswitchd`, 'ovs-vswitchd', [`--unixctl=${join(hv.dir, 'ovs-vswitchd.ctl')}`, '--enable-dummy=override', '--disable-system', hv.db], hv.env, hv.dir);
      await waitForPath(join(hv.dir, 'ovs-vswitchd.ctl'), vswitchd, `chassis ${c} ovs-vswitchd`);
      await run('ovs-vsctl', [`--db=${hv.db}`, '--timeout=30',
        '--', 'add-br', 'br-int', '--', 'set', 'Bridge', 'br-int', 'fail-mode=secure', 'other-config:disable-in-band=true',
        '--', 'set', 'Open_vSwitch', '.', `external_ids:system-id=${hv.name}`, `external_ids:ovn-remote=${this.env.OVN_SB_DB}`,
        'external_ids:ovn-encap-type=geneve', `external_ids:ovn-encap-ip=127.0.0.${c}`], hv.env);
      // ovn-controller 23.03 has no --unixctl: its socket is $OVN_RUNDIR/ovn-controller.<pid>.ctl (in hv.dir).
      this.daemon(`hv${c}-controller`, 'ovn-controller', [hv.db], hv.env, hv.dir);
    }
    for (let c = 1; c <= this.opts.chassis; c++) await run('ovn-sbctl', ['--timeout=30', 'wait-until', 'Chassis', this.hv(c).name], this.env);
    await run('ovn-nbctl', ['--timeout=30', '--wait=hv', 'sync'], this.env);
    log(`OVN stack up in ${d} (${this.opts.chassis} chassis)`);
  }

  /** `ovn-nbctl --detach` daemon; returns its control socket (for OVN_NB_DAEMON). */
  async startNbctlDaemon(): Promise<string> {
    const pidfile = join(this.dir, 'nbctl.pid');
    const out = await run('ovn-nbctl', ['--detach', '--no-chdir', `--pidfile=${pidfile}`, `--log-file=${join(this.dir, 'nbctl.log')}`, '-vconsole:off'], this.env);
    this.nbctlDaemonPid = Number(readFileSync(pidfile, 'utf8').trim());
    const socket = out.trim().split('\n').pop() ?? '';
    if (!socket) throw new Error('ovn-nbctl --detach printed no control socket');
    return socket;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.killNbctlDaemon();
    for (const { proc } of [...this.procs].reverse()) {
      if (proc.exitCode !== null || proc.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  private async killNbctlDaemon(): Promise<void> {
    const pid = this.nbctlDaemonPid;
    this.nbctlDaemonPid = undefined;
    if (!pid) return;
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 150 && alive(); i++) await sleep(20);
    if (alive()) process.kill(pid, 'SIGKILL');
  }

  /** For 'exit' and signal handlers: SIGKILL everything now, remove the directory. */
  readonly killSync = (): void => {
    if (this.stopped) return;
    this.stopped = true;
    const pids = [this.nbctlDaemonPid, ...this.procs.filter(({ proc }) => proc.exitCode === null && proc.signalCode === null).map(({ proc }) => proc.pid)];
    for (const pid of pids) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
  };
}

/**
 * A unixctl (JSON-RPC) client for the `ovn-nbctl` daemon: `run` with the command line, what the `ovn-nbctl`
 * client does when OVN_NB_DAEMON is set, over one connection; one request at a time.
 */
class NbctlDaemonClient {
  private buf = '';
  private id = 0;
  private waiter: ((msg: { result?: unknown; error?: unknown }) => void) | undefined;
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      this.buf += chunk;
      let msg: { result?: unknown; error?: unknown };
      try {
        msg = JSON.parse(this.buf) as typeof msg;
      } catch {
        return; // incomplete
      }
      this.buf = '';
      this.waiter?.(msg);
    });
  }

  static connect(path: string): Promise<NbctlDaemonClient> {
    return new Promise((resolve, reject) => {
      const sock = createConnection(path, () => resolve(new NbctlDaemonClient(sock)));
      sock.once('error', reject);
    });
  }

  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiter = (msg) => {
        this.waiter = undefined;
        if (msg.error !== null && msg.error !== undefined) reject(new Error(`ovn-nbctl daemon: ${String(msg.error).trim()}`));
        else resolve(String(msg.result ?? ''));
      };
      this.sock.write(JSON.stringify({ method: 'run', params: args, id: ++this.id }));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

const mac = (n: number, j: number): string => `0a:00:00:${[n, j >> 8, j & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;

/** Builds the L2 topology on a fresh private OVN stack and times it (see the file header). */
export async function runOvnL2Baseline(opts: OvnL2Options): Promise<OvnL2Result> {
  ensureOvn();
  const log = opts.log ?? (() => {});
  const version = /(\d+\.\d+\.\d+)/.exec(await run('ovn-controller', ['--version'], process.env))?.[1] ?? '?';
  const stack = new OvnStack(opts);
  const onSignal = (signal: NodeJS.Signals): void => {
    stack.killSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', stack.killSync);
  try {
    await stack.start();
    const { networks: N, portsPerNetwork: M, chassis: C } = opts;
    const total = N * M;
    const switches = Array.from({ length: N }, (_, n) => `nl-ls${n}`);
    await run('ovn-nbctl', ['--timeout=60', ...switches.flatMap((s) => ['--', 'ls-add', s])], stack.env);
    await run('ovn-nbctl', ['--timeout=60', '--wait=hv', 'sync'], stack.env);
    const nbctlSocket = await stack.startNbctlDaemon();
    const daemonEnv = { ...stack.env, OVN_NB_DAEMON: nbctlSocket };
    const nbClient = opts.nbClient ?? 'socket';
    const direct = nbClient === 'socket' ? await NbctlDaemonClient.connect(nbctlSocket) : undefined;
    const nbctl = (args: string[]): Promise<string> => (direct ? direct.run(args) : run('ovn-nbctl', args, daemonEnv));
    // Port i: switch i % N, chassis i % C (the order of our bench); MAC/IP in 198.18.0.0/15 (RFC 2544), config only.
    const ports = Array.from({ length: total }, (_, i) => {
      const n = i % N;
      const j = Math.floor(i / N) + 1;
      return { name: `nl-ls${n}-p${j}`, ls: switches[n], addr: `${mac(n + 1, j)} 198.18.${n + 1}.${j + 1}`, iface: `nlp${i}`, chassis: (i % C) + 1 };
    });
    log(`OVN: ${total} ports, one NB transaction each through the ovn-nbctl daemon (${nbClient === 'socket' ? 'its control socket' : 'an ovn-nbctl client process each'})`);

    const t0 = performance.now();
    for (const p of ports) {
      await nbctl(['--', 'lsp-add', p.ls, p.name, '--', 'lsp-set-addresses', p.name, p.addr, '--', 'lsp-set-port-security', p.name, p.addr]);
    }
    const nbMs = performance.now() - t0;
    direct?.close();
    await Promise.all(Array.from({ length: C }, (_, k) => {
      const hv = stack.hv(k + 1);
      const mine = ports.filter((p) => p.chassis === k + 1);
      return run('ovs-vsctl', [`--db=${hv.db}`, `--timeout=${WAIT_MS / 1000}`,
        ...mine.flatMap((p) => ['--', 'add-port', 'br-int', p.iface, '--', 'set', 'Interface', p.iface, `external_ids:iface-id=${p.name}`])], hv.env);
    }));
    const plugMs = performance.now() - t0;
    await run('ovn-nbctl', [`--timeout=${WAIT_MS / 1000}`, '--wait=hv', 'sync'], stack.env);
    const waitHvMs = performance.now() - t0;
    for (;;) {
      const up = (await run('ovn-nbctl', ['--bare', '--columns=up', 'find', 'Logical_Switch_Port', 'up=true'], stack.env)).split('\n').filter((l) => l.trim() === 'true').length;
      if (up >= total) break;
      if (performance.now() - t0 > WAIT_MS) throw new Error(`OVN: only ${up} of ${total} ports up after ${WAIT_MS} ms`);
      await sleep(10);
    }
    const allUpMs = performance.now() - t0;
    log(`OVN: all up after ${allUpMs.toFixed(0)} ms`);

    await run('ovn-nbctl', [`--timeout=${WAIT_MS / 1000}`, '--wait=hv', 'sync'], stack.env);
    const bound = (await run('ovn-sbctl', ['--bare', '--columns=chassis', 'find', 'Port_Binding', 'type=""'], stack.env)).split('\n').filter((l) => l.trim()).length;
    const flows: number[] = [];
    for (let c = 1; c <= C; c++) {
      const agg = await run('ovs-ofctl', ['dump-aggregate', 'br-int'], stack.hv(c).env);
      flows.push(Number(/flow_count=(\d+)/.exec(agg)?.[1] ?? NaN));
    }
    const hvs = Array.from({ length: C }, (_, k) => k + 1);
    return {
      version, networks: N, portsPerNetwork: M, chassis: C, nbClient, nbMs, plugMs, waitHvMs, allUpMs, bound, flows,
      controllerRssMb: hvs.map((c) => procStatusMb(stack.pid(`hv${c}-controller`), 'VmRSS')),
      controllerHwmMb: hvs.map((c) => procStatusMb(stack.pid(`hv${c}-controller`), 'VmHWM')),
      northdRssMb: procStatusMb(stack.pid('northd'), 'VmRSS'),
      vswitchdRssMb: hvs.map((c) => procStatusMb(stack.pid(`hv${c}-vswitchd`), 'VmRSS')),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', stack.killSync);
    await stack.stop();
    if (opts.keep) log(`OVN: kept ${stack.dir}`);
  }
}

/**
 * The baseline's command-line options (shared by bench/l2-convergence.bench.ts and the standalone run):
 * `--ovn-chassis N` (default `chassis`), `--ovn-nb-client process|socket`, `--ovn-keep`.
 */
export function ovnOptions(argv: string[], chassis: number): Pick<OvnL2Options, 'chassis' | 'nbClient' | 'keep'> {
  const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const n = Number(option('--ovn-chassis') ?? chassis);
  if (!(Number.isInteger(n) && n >= 1 && n <= 250)) throw new Error('--ovn-chassis takes a number of chassis (1-250)');
  const nbClient = option('--ovn-nb-client') ?? 'socket';
  if (nbClient !== 'process' && nbClient !== 'socket') throw new Error('--ovn-nb-client takes process or socket');
  return { chassis: n, nbClient, keep: argv.includes('--ovn-keep') };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mbList = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' + ');

/** The report lines; `oursMs` (first request -> all bridges acked) gives the ratio. */
export function ovnReport(r: OvnL2Result, oursMs?: number): string[] {
  const [major, minor] = r.version.split('.');
  const ports = r.networks * r.portsPerNetwork;
  const vsctl = r.chassis === 1 ? 'one ovs-vsctl' : `one ovs-vsctl per chassis`;
  const ratio = oursMs === undefined ? '' : `; ratio neutrino/ovn = ${(oursMs / r.allUpMs).toFixed(2)}`;
  return [
    `OVN ${major}.${minor} ${oursMs === undefined ? 'alone' : 'same run'} (L2 only: ${r.networks} LS x ${r.portsPerNetwork} LSP on ${r.chassis} chassis, one NB txn per port, ${vsctl}): ` +
      `all up after ${r.allUpMs.toFixed(0)} ms (--wait=hv ${r.waitHvMs.toFixed(0)} ms), ${sum(r.flows)} OpenFlow flows on br-int, ` +
      `ovn-controller RSS ${r.chassis === 1 ? '' : `${mbList(r.controllerRssMb)} = `}${sum(r.controllerRssMb).toFixed(0)} MB${ratio}`,
    `  OVN ${r.version}: no router, no ACLs/port group, no NAT (our bench is L2 only); switches created before the clock; ` +
      `per port lsp-add + addresses + port_security "MAC IP" in one transaction of the ovn-nbctl --detach daemon, one at a time, ` +
      (r.nbClient === 'socket' ? 'sent on one connection to its control socket (no client process per port)' : 'each from an ovn-nbctl client process (OVN_NB_DAEMON, as ovn-bench.sh)'),
    `  OVN from the first NB write: ${ports} NB txns committed ${r.nbMs.toFixed(0)} ms (${(r.nbMs / ports).toFixed(1)} ms each${r.nbClient === 'process' ? ', client process included' : ''}), ` +
      `VIFs plugged ${r.plugMs.toFixed(0)} ms, --wait=hv ${r.waitHvMs.toFixed(0)} ms, all up ${r.allUpMs.toFixed(0)} ms; ` +
      `${r.bound}/${ports} bound; flows per chassis ${r.flows.join(', ')} (${(sum(r.flows) / ports).toFixed(1)} per port); ` +
      `RSS MB: ovn-controller ${mbList(r.controllerRssMb)} (peak ${mbList(r.controllerHwmMb)}), northd ${r.northdRssMb.toFixed(0)}, ovs-vswitchd ${mbList(r.vswitchdRssMb)}`,
    ...(oursMs === undefined ? [] : ['  ratio = our first request -> all bridges acked / OVN first NB write -> every LSP up (< 1: ours faster)']),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const option = (name: string, fallback: string): string => {
    const at = process.argv.indexOf(`--${name}`);
    return at < 0 ? fallback : process.argv[at + 1];
  };
  const runs = Number(option('runs', '1'));
  for (let i = 0; i < runs; i++) {
    const r = await runOvnL2Baseline({
      networks: Number(option('networks', '10')),
      portsPerNetwork: Number(option('ports', '100')),
      ...ovnOptions(process.argv, 1),
      log: (l) => console.error(l),
    });
    for (const line of ovnReport(r)) console.log(line);
  }
}

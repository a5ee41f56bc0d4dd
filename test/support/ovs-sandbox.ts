import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl'];
type Daemon = 'ovsdb-server' | 'ovs-vswitchd';


export interface OvsSandboxOptions {
  /**
   * Run `ovs-vsctl --no-wait init` before ovs-vswitchd starts (default true). `false` leaves the
   * database as ovsdb-tool made it: no Open_vSwitch row.
   */
  initialized?: boolean;
  /**
   * ovs-vswitchd's dummy datapath: 'override' (default, `--enable-dummy=override`: every datapath
   * and netdev type is dummy, nothing reaches the kernel), 'system' (`--enable-dummy=system`: only the
   * system types are replaced) or 'available' (`--enable-dummy`: dummy types exist, nothing is replaced).
   */
  dummy?: 'override' | 'system' | 'available';
  /** Also `--disable-system --disable-system-route`: no kernel datapath provider, no routing-table monitor. */
  disableSystem?: boolean;
}

/**
 * A private ovsdb-server + ovs-vswitchd in a temporary directory (OVS_RUNDIR and friends), as OVS's
 * own test suite does it. Both daemons are children of this process, killed by pid in `stop()` /
 * `stopSync()` (and with SIGKILL if the process exits first); the directory is removed then.
 * `start()` and `startSync()` differ only in how they wait for the daemons' sockets.
 */
export class OvsSandbox {
  private readonly procs = new Map<Daemon, ChildProcess>();
  readonly env: NodeJS.ProcessEnv;
  /** The database remote, for `ovs-vsctl --db=` and the like. */
  readonly db: string;

  private constructor(readonly dir: string, private readonly opts: OvsSandboxOptions) {
    this.env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir };
    this.db = `unix:${join(dir, 'db.sock')}`;
  }

  static async start(opts: OvsSandboxOptions = {}): Promise<OvsSandbox> {
    const sb = OvsSandbox.create(opts);
    try {
      for (const path of sb.boot()) await waitForPath(path);
      return sb;
    } catch (err) {
      await sb.stop();
      throw err;
    }
  }

  /** `start()` for synchronous callers (blocks the event loop while the daemons come up). */
  static startSync(opts: OvsSandboxOptions = {}): OvsSandbox {
    const sb = OvsSandbox.create(opts);
    try {
      for (const path of sb.boot()) waitForPathSync(path);
      return sb;
    } catch (err) {
      sb.stopSync();
      throw err;
    }
  }

  private static create(opts: OvsSandboxOptions): OvsSandbox {
    for (const t of TOOLS) {
      if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) throw new Error(`Open vSwitch tool ${t} is not installed`);
    }
    return new OvsSandbox(mkdtempSync(join(tmpdir(), 'neutrino-ovs-')), opts);
  }

  /** Starts both daemons; yields each path that must exist before going on. */
  private *boot(): Generator<string, void> {
    const conf = join(this.dir, 'conf.db');
    this.tool('ovsdb-tool', 'create', conf, SCHEMA);
    this.spawn('ovsdb-server', [conf, `--remote=p${this.db}`]);
    yield join(this.dir, 'db.sock');
    if (this.opts.initialized !== false) this.vsctl('--no-wait', 'init');
    yield* this.bootVswitchd();
  }

  private *bootVswitchd(): Generator<string, void> {
    const ctl = this.unixctl('ovs-vswitchd');
    rmSync(ctl, { force: true });
    const dummy = this.opts.dummy ?? 'override';
    this.spawn('ovs-vswitchd', [
      this.db,
      dummy === 'available' ? '--enable-dummy' : `--enable-dummy=${dummy}`,
      ...(this.opts.disableSystem ? ['--disable-system', '--disable-system-route'] : []),
    ]);
    yield ctl;
  }

  async startVswitchd(): Promise<void> {
    for (const path of this.bootVswitchd()) await waitForPath(path);
  }

  /** Kills ovs-vswitchd (all flows are lost) and starts a new one on the same database. */
  async restartVswitchd(): Promise<void> {
    await this.kill('ovs-vswitchd');
    await this.startVswitchd();
  }

  /** The unixctl socket of a daemon (for `ovs-appctl -t`). */
  unixctl(daemon: Daemon): string {
    return join(this.dir, `${daemon}.ctl`);
  }

  /** The OpenFlow management socket ovs-vswitchd opens for a bridge. */
  mgmt(bridge: string): string {
    return `unix:${join(this.dir, `${bridge}.mgmt`)}`;
  }

  /**
   * A dummy bridge with two dummy ports (ofport 1 and 2), identified as "<host> <bridge>" through
   * other-config:dp-desc, speaking OF1.3 to our controller at 127.0.0.1:port.
   */
  addBridge(name: string, dpDesc: string, controllerPort: number, datapathId = '00000000000000a1'): void {
    this.vsctl(
      'add-br', name,
      '--', 'set', 'bridge', name, 'datapath_type=dummy', 'protocols=OpenFlow13', 'fail-mode=secure',
      `other-config:dp-desc="${dpDesc}"`, `other-config:datapath-id=${datapathId}`,
      '--', 'add-port', name, `${name}-p1`, '--', 'set', 'interface', `${name}-p1`, 'type=dummy', 'ofport_request=1',
      '--', 'add-port', name, `${name}-p2`, '--', 'set', 'interface', `${name}-p2`, 'type=dummy', 'ofport_request=2',
      '--', 'set-controller', name, `tcp:127.0.0.1:${controllerPort}`,
      // Reconnect fast after we drop the connection (default backoff grows to 8 s).
      '--', 'set', 'controller', name, 'max_backoff=1000',
    );
  }

  vsctl(...args: string[]): string {
    return this.tool('ovs-vsctl', `--db=${this.db}`, '--timeout=20', ...args);
  }

  /** `ovs-ofctl -O OpenFlow13 args...` (a bridge name is found through OVS_RUNDIR). */
  ofctl(...args: string[]): string {
    return this.tool('ovs-ofctl', '-O', 'OpenFlow13', ...args);
  }

  /** `ovs-appctl -t ovs-vswitchd args...` */
  appctl(...args: string[]): string {
    return this.tool('ovs-appctl', '-t', this.unixctl('ovs-vswitchd'), ...args);
  }

  /** `dump-flows --no-stats` lines, sorted, without the leading space. */
  dumpFlows(bridge: string): string[] {
    return this.ofctl('--no-stats', 'dump-flows', bridge)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
  }

  /** Runs a tool with the sandbox's environment; its stdout, or an error if it exits non-zero. */
  tool(cmd: string, ...args: string[]): string {
    const r = this.exec(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Like `tool()`, but returns stdout + stderr (where `-m` logging goes) and a non-zero exit is no error. */
  output(cmd: string, ...args: string[]): string {
    const r = this.exec(cmd, args);
    return r.stdout + r.stderr;
  }

  /** Runs a bash script with the sandbox's environment; stdout + stderr, whatever its exit status. */
  shell(script: string): string {
    return this.output('bash', '-c', script);
  }

  log(proc: Daemon): string {
    const f = join(this.dir, `${proc}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  async stop(): Promise<void> {
    for (const name of [...this.procs.keys()].reverse()) await this.kill(name);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * `stop()` for synchronous callers. The exit of a child is not observable without the event
   * loop, so it waits for the daemon to remove its unixctl socket, which OVS does on SIGTERM.
   */
  stopSync(): void {
    for (const name of [...this.procs.keys()].reverse()) {
      const p = this.procs.get(name)!;
      this.procs.delete(name);
      if (p.exitCode !== null || p.signalCode !== null) continue;
      p.kill('SIGTERM');
      const ctl = this.unixctl(name);
      for (let i = 0; i < 150 && existsSync(ctl); i++) sleepMs(20);
      if (existsSync(ctl)) p.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async kill(name: Daemon): Promise<void> {
    const p = this.procs.get(name);
    this.procs.delete(name);
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }

  private spawn(cmd: Daemon, args: string[]): void {
    const p = spawn(cmd, [...args, `--unixctl=${this.unixctl(cmd)}`, `--log-file=${join(this.dir, `${cmd}.log`)}`, '-vconsole:off'], {
      env: this.env,
      stdio: 'ignore',
    });
    p.on('error', () => {});
    // If the process dies without running stop(), take the daemons with it.
    const reap = () => p.kill('SIGKILL');
    process.once('exit', reap);
    p.once('exit', () => process.off('exit', reap));
    this.procs.set(cmd, p);
  }

  private exec(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(cmd, args, { env: this.env, encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
    return r;
  }
}

async function waitForPath(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function waitForPathSync(path: string, timeoutMs = 10_000): void {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    sleepMs(20);
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl'];

/** True when Open vSwitch is installed. Tests run anyway under CI=true, where a missing OVS must fail. */
export function ovsAvailable(): boolean {
  return TOOLS.every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0) && existsSync(SCHEMA);
}
export const runOvsTests = ovsAvailable() || process.env.CI === 'true';

/**
 * A private ovsdb-server + ovs-vswitchd (`--enable-dummy=override`: no kernel datapath, no root
 * side effects) in a temporary directory. Every process it starts is its child and is killed by
 * pid in `stop()`.
 */
export class OvsSandbox {
  private readonly procs = new Map<string, ChildProcess>();
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string) {
    this.env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir };
  }

  static async start(): Promise<OvsSandbox> {
    for (const t of TOOLS) {
      if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) throw new Error(`Open vSwitch tool ${t} is not installed`);
    }
    const sb = new OvsSandbox(mkdtempSync(join(tmpdir(), 'neutrino-ovs-')));
    try {
      sb.run('ovsdb-tool', ['create', join(sb.dir, 'conf.db'), SCHEMA]);
      sb.spawn('ovsdb-server', [
        join(sb.dir, 'conf.db'),
        `--remote=punix:${join(sb.dir, 'db.sock')}`,
        `--unixctl=${join(sb.dir, 'ovsdb-server.ctl')}`,
        `--log-file=${join(sb.dir, 'ovsdb-server.log')}`,
        '-vconsole:off',
      ]);
      await waitForPath(join(sb.dir, 'db.sock'));
      sb.vsctl('--no-wait', 'init');
      await sb.startVswitchd();
      return sb;
    } catch (err) {
      await sb.stop();
      throw err;
    }
  }

  async startVswitchd(): Promise<void> {
    const ctl = join(this.dir, 'ovs-vswitchd.ctl');
    rmSync(ctl, { force: true });
    this.spawn('ovs-vswitchd', [
      `unix:${join(this.dir, 'db.sock')}`,
      '--enable-dummy=override',
      `--unixctl=${ctl}`,
      `--log-file=${join(this.dir, 'ovs-vswitchd.log')}`,
      '-vconsole:off',
    ]);
    await waitForPath(ctl);
  }

  /** Kills ovs-vswitchd (all flows are lost) and starts a new one on the same database. */
  async restartVswitchd(): Promise<void> {
    await this.kill('ovs-vswitchd');
    await this.startVswitchd();
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
    return this.run('ovs-vsctl', [`--db=unix:${join(this.dir, 'db.sock')}`, '--timeout=10', ...args]);
  }

  ofctl(...args: string[]): string {
    return this.run('ovs-ofctl', ['-O', 'OpenFlow13', ...args]);
  }

  /** `dump-flows --no-stats` lines, sorted, without the leading space. */
  dumpFlows(bridge: string): string[] {
    return this.ofctl('--no-stats', 'dump-flows', bridge)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
  }

  log(proc: 'ovs-vswitchd' | 'ovsdb-server'): string {
    const f = join(this.dir, `${proc}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  async stop(): Promise<void> {
    for (const name of [...this.procs.keys()].reverse()) await this.kill(name);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async kill(name: string): Promise<void> {
    const p = this.procs.get(name);
    this.procs.delete(name);
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }

  private spawn(cmd: string, args: string[]): void {
    const p = spawn(cmd, args, { env: this.env, stdio: 'ignore' });
    p.on('error', () => {});
    // If the test worker dies without running stop(), take the daemons with it.
    const reap = () => p.kill('SIGKILL');
    process.once('exit', reap);
    p.once('exit', () => process.off('exit', reap));
    this.procs.set(cmd, p);
  }

  private run(cmd: string, args: string[]): string {
    const r = spawnSync(cmd, args, { env: this.env, encoding: 'utf8', timeout: 20_000 });
    if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }
}

async function waitForPath(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

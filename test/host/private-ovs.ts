import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

/**
 * A fresh ovsdb-server + ovs-vswitchd with no bridges at all, in a temp dir. `--enable-dummy=override`
 * keeps every bridge and port off the kernel, so it needs no namespace and touches nothing on the machine.
 * Both daemons are children of the test process and are stopped by pid.
 */
export class PrivateOvs {
  private readonly daemons: ChildProcess[] = [];
  readonly db: string;
  readonly env: Record<string, string>;

  private constructor(readonly dir: string) {
    this.db = `unix:${join(dir, 'db.sock')}`;
    this.env = { OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir };
  }

  /** `initialized: false` leaves the database as ovsdb-tool made it (no `ovs-vsctl init`, no Open_vSwitch row). */
  static async start(opts: { initialized?: boolean } = {}): Promise<PrivateOvs> {
    const ovs = new PrivateOvs(mkdtempSync(join(tmpdir(), 'neutrino-join-')));
    try {
      ovs.tool('ovsdb-tool', 'create', join(ovs.dir, 'conf.db'), SCHEMA);
      ovs.spawn('ovsdb-server', join(ovs.dir, 'conf.db'), `--remote=p${ovs.db}`, `--unixctl=${join(ovs.dir, 'ovsdb.ctl')}`);
      await waitForPath(join(ovs.dir, 'db.sock'));
      if (opts.initialized !== false) ovs.vsctl('--no-wait', 'init');
      ovs.spawn('ovs-vswitchd', ovs.db, '--enable-dummy=override', `--unixctl=${join(ovs.dir, 'vswitchd.ctl')}`);
      await waitForPath(join(ovs.dir, 'vswitchd.ctl'));
      return ovs;
    } catch (err) {
      await ovs.stop();
      throw err;
    }
  }

  vsctl(...args: string[]): string {
    return this.tool('ovs-vsctl', `--db=${this.db}`, '--timeout=20', ...args);
  }

  /** ovs-ofctl against a bridge of this instance (found through OVS_RUNDIR). */
  ofctl(...args: string[]): string {
    return this.tool('ovs-ofctl', ...args);
  }

  tool(cmd: string, ...args: string[]): string {
    const r = spawnSync(cmd, args, { env: { ...process.env, ...this.env }, encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async stop(): Promise<void> {
    for (const p of this.daemons.reverse()) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGTERM');
      const force = setTimeout(() => p.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(cmd: string, ...args: string[]): void {
    const p = spawn(cmd, [...args, '--no-chdir', `--log-file=${join(this.dir, `${cmd}.log`)}`, '-vconsole:off'], {
      env: { ...process.env, ...this.env },
      stdio: 'ignore',
    });
    p.on('error', () => undefined);
    this.daemons.push(p);
  }
}

async function waitForPath(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, runInNetns, type CommandResult, type RunOptions } from './command.js';
import { OVS_SCHEMA_PATH } from './prerequisites.js';
import { isAlive } from './processes.js';
import type { BridgeInfo } from './topology.js';

export type DatapathType = 'netdev' | 'dummy';

export interface LabHostConfig {
  name: string;
  /** 1-based position in the lab, used for dpids and addresses. */
  index: number;
  netns: string;
  runDir: string;
  datapath: DatapathType;
  bridges: BridgeInfo[];
}

/**
 * One simulated hypervisor: its own netns with its own ovsdb-server and ovs-vswitchd (one vswitchd per
 * netns, notes gotcha 1), all state in runDir. OVS tools find this host through OVS_RUNDIR (unix sockets),
 * so vsctl/ofctl/appctl run from the root netns; only `exec` enters the netns.
 */
export class LabHost {
  readonly name: string;
  readonly index: number;
  readonly netns: string;
  readonly runDir: string;
  readonly datapath: DatapathType;
  readonly bridges: readonly BridgeInfo[];

  constructor(cfg: LabHostConfig) {
    this.name = cfg.name;
    this.index = cfg.index;
    this.netns = cfg.netns;
    this.runDir = cfg.runDir;
    this.datapath = cfg.datapath;
    this.bridges = cfg.bridges;
  }

  /** Environment that points every OVS tool and daemon at this host's private dirs. */
  get env(): Record<string, string> {
    const d = this.runDir;
    return { OVS_RUNDIR: d, OVS_LOGDIR: d, OVS_DBDIR: d, OVS_SYSCONFDIR: d };
  }

  bridge(name: string): BridgeInfo {
    const b = this.bridges.find((x) => x.name === name);
    if (!b) throw new Error(`host ${this.name} has no bridge ${name} (has ${this.bridges.map((x) => x.name).join(', ')})`);
    return b;
  }

  vsctl(...args: string[]): Promise<string> {
    return this.tool('ovs-vsctl', ['--timeout=20', ...args]);
  }

  /** Raw ovs-ofctl: without -O it speaks OpenFlow 1.0 (the bridges accept 1.0, 1.3 and 1.5). */
  ofctl(...args: string[]): Promise<string> {
    return this.tool('ovs-ofctl', args);
  }

  appctl(...args: string[]): Promise<string> {
    return this.tool('ovs-appctl', args);
  }

  /** Adds flows (ovs-ofctl text, one per line) with OpenFlow 1.3, as one bundle by default. */
  async addFlows(bridge: string, flows: string | readonly string[], opts: { bundle?: boolean } = {}): Promise<void> {
    const text = typeof flows === 'string' ? flows : flows.join('\n');
    const bundle = opts.bundle === false ? [] : ['--bundle'];
    await this.tool('ovs-ofctl', ['-O', 'OpenFlow13', ...bundle, 'add-flows', bridge, '-'], { input: `${text}\n` });
  }

  /** Flow lines of a bridge (OpenFlow 1.3 syntax, no stats columns). */
  async dumpFlows(bridge: string, table?: number): Promise<string[]> {
    const filter = table === undefined ? [] : [`table=${table}`];
    const out = await this.tool('ovs-ofctl', ['-O', 'OpenFlow13', '--no-stats', 'dump-flows', bridge, ...filter]);
    return out.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('OFPST_') && !l.startsWith('NXST_'));
  }

  /** Runs an OVS tool against this host; resolves with stdout, throws CommandError on failure. */
  async tool(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const r = await run([cmd, ...args], { ...opts, env: { ...this.env, ...opts.env } });
    return r.stdout;
  }

  /** Runs argv inside the host's netns (throws on a non-zero exit). */
  async exec(...argv: string[]): Promise<string> {
    return (await this.run(argv)).stdout;
  }

  run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
    return runInNetns(this.netns, argv, { ...opts, env: { ...this.env, ...opts.env } });
  }

  pidOf(daemon: 'ovs-vswitchd' | 'ovsdb-server'): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.runDir, `${daemon}.pid`), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  logFile(daemon: 'ovs-vswitchd' | 'ovsdb-server'): string {
    return join(this.runDir, `${daemon}.log`);
  }

  // ---- daemon lifecycle (used by Lab) ----

  /** Creates the database and starts ovsdb-server inside the netns. */
  async startOvsdb(): Promise<void> {
    mkdirSync(this.runDir, { recursive: true });
    const db = join(this.runDir, 'conf.db');
    if (!existsSync(db)) await run(['ovsdb-tool', 'create', db, OVS_SCHEMA_PATH]);
    await this.run(['ovsdb-server', db, `--remote=punix:${join(this.runDir, 'db.sock')}`, ...DAEMON_FLAGS]);
    await this.vsctl('--no-wait', 'init', '--', 'set', 'Open_vSwitch', '.',
      `external_ids:system-id=${this.name}`, `external_ids:hostname=${this.name}`);
  }

  /** Starts ovs-vswitchd inside the netns and waits until it has applied the database. */
  async startVswitchd(): Promise<void> {
    const dummy = this.datapath === 'dummy' ? ['--enable-dummy'] : [];
    await this.run(['ovs-vswitchd', `unix:${join(this.runDir, 'db.sock')}`, ...DAEMON_FLAGS, ...dummy]);
    // Without --no-wait, ovs-vsctl returns only once vswitchd has caught up with this change.
    await this.vsctl('set', 'Open_vSwitch', '.', `external_ids:lab-started=${Date.now()}`);
  }

  /** Simulates a crash: SIGKILL, flows and datapath state are lost, the database survives. */
  async killVswitchd(): Promise<void> {
    const pid = this.pidOf('ovs-vswitchd');
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (isAlive(pid)) {
      if (Date.now() > deadline) throw new Error(`ovs-vswitchd ${pid} of ${this.name} survived SIGKILL`);
      await sleep(20);
    }
    rmSync(join(this.runDir, 'ovs-vswitchd.pid'), { force: true });
  }

  /** Graceful stop: vswitchd removes its datapath and taps (`exit --cleanup`), then ovsdb-server exits. */
  async stopDaemons(): Promise<void> {
    for (const daemon of ['ovs-vswitchd', 'ovsdb-server'] as const) {
      const pid = this.pidOf(daemon);
      if (pid === undefined) continue;
      const target = join(this.runDir, `${daemon}.${pid}.ctl`);
      const args = daemon === 'ovs-vswitchd' ? ['exit', '--cleanup'] : ['exit'];
      await run(['ovs-appctl', '--timeout=5', '-t', target, ...args], { allowFailure: true, timeoutMs: 8000 });
      const deadline = Date.now() + 3000;
      while (isAlive(pid) && Date.now() < deadline) await sleep(20);
      // Stragglers are SIGKILLed by the lab's namespace sweep.
    }
  }
}

const DAEMON_FLAGS = ['--pidfile', '--log-file', '--detach', '--no-chdir', '-vconsole:off'];

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

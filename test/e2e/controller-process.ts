import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, neutrinoArgv } from '../support/processes.js';

const ROOT = join(import.meta.dirname, '..', '..');

export { freePort };

export interface ControllerProcessOptions {
  db: string;
  apiPort: number;
  ofPort: number;
  /** More `neutrino run` options, e.g. ['--dhcp-lease', '600']. */
  args?: string[];
}

/** `neutrino run` as a child process; `start` resolves once the API answers. */
export class ControllerProcess {
  private child: ChildProcess | undefined;
  readonly apiUrl: string;
  private log = '';

  constructor(private readonly opts: ControllerProcessOptions) {
    this.apiUrl = `http://127.0.0.1:${opts.apiPort}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [...neutrinoArgv(), 'run', '--of-address', '127.0.0.1', '--of-port', String(this.opts.ofPort), ...(this.opts.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, NEUTRINO_DB: this.opts.db, NEUTRINO_API_PORT: String(this.opts.apiPort), NEUTRINO_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer): void => void (this.log = (this.log + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`controller exited with ${child.exitCode}:\n${this.log}`);
      const ok = await fetch(`${this.apiUrl}/v1/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`controller API did not come up within 30 s:\n${this.log}`);
  }

  /** Crash: SIGKILL, no cleanup of any kind. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Clean stop (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  get output(): string {
    return this.log;
  }

  private async signal(sig: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(sig);
    return exited;
  }
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, neutrinoArgv } from '../support/processes.js';

/**
 * What an operator has at hand, as child processes: the `neutrino` CLI (`run`, `join`) and Debian's stock
 * `/usr/bin/openstack` (python3-openstackclient; its shebang is /usr/bin/python3, see
 * /work/shared/openstack-cli-notes.md). No in-process shortcuts: every call is a real command line.
 */

const ROOT = join(import.meta.dirname, '..', '..');
export const OPENSTACK = '/usr/bin/openstack';

export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

export { freePort, neutrinoArgv };

/** Runs a command to completion; never throws for a non-zero exit. */
export function runCmd(file: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CmdResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === -1 ? String(err) : '') });
    });
  });
}

/** `neutrino <args>` with the given environment (e.g. a lab host's OVS_RUNDIR). */
export function neutrino(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CmdResult> {
  return runCmd(process.execPath, [...neutrinoArgv(), ...args], env);
}

/** The environment without any OS_* a developer's shell may carry. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_') && !k.startsWith('NEUTRINO_')));
  return { ...env, ...extra };
}

/** The stock CLI with admin_token auth against `endpoint` (no Keystone, no version discovery). */
export function openstackCli(endpoint: string, token: string): (...args: string[]) => Promise<CmdResult> {
  const env = cleanEnv({ OS_AUTH_TYPE: 'admin_token', OS_ENDPOINT: endpoint, OS_TOKEN: token });
  return (...args) => runCmd(OPENSTACK, args, env, 60_000);
}

export interface RunProcessOptions {
  db: string;
  apiPort: number;
  ofPort: number;
  /** tokens.json path ({"<token>": {"project_id", "role"}}). */
  tokens: string;
}

/**
 * `neutrino run --of-address 127.0.0.1 --of-port P` with NEUTRINO_DB / NEUTRINO_API_PORT / NEUTRINO_TOKENS
 * (the run command takes those from the environment). `start` resolves once `GET /v1/health` answers.
 */
export class NeutrinoRun {
  private child: ChildProcess | undefined;
  private log = '';
  readonly apiUrl: string;

  constructor(private readonly opts: RunProcessOptions) {
    this.apiUrl = `http://127.0.0.1:${opts.apiPort}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const env = cleanEnv({
      NEUTRINO_DB: this.opts.db,
      NEUTRINO_API_PORT: String(this.opts.apiPort),
      NEUTRINO_TOKENS: this.opts.tokens,
      NEUTRINO_LOG_LEVEL: 'warn',
    });
    const argv = [...neutrinoArgv(), 'run', '--of-address', '127.0.0.1', '--of-port', String(this.opts.ofPort)];
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer): void => void (this.log = (this.log + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`neutrino run exited (${child.exitCode ?? child.signalCode}):\n${this.log}`);
      }
      if (await fetch(`${this.apiUrl}/v1/health`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`neutrino run: API not up within ${timeoutMs} ms:\n${this.log}`);
  }

  get output(): string {
    return this.log;
  }

  /** SIGTERM (SIGKILL after 10 s); resolves with the exit code, or the signal name when it had to be killed. */
  async stop(): Promise<number | string | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig)));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(killer);
    }
  }
}

/** Polls `probe` until it returns a truthy value; throws with `what` (and the last value) after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

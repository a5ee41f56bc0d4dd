import { spawn, spawnSync } from 'node:child_process';

/** Outcome of one external command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the process died from a signal. */
  code: number | null;
}

export interface RunOptions {
  /** Written to the command's stdin (then stdin is closed). */
  input?: string;
  /** Extra environment on top of process.env. */
  env?: Record<string, string>;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  /** Kill the command (SIGKILL) after this many ms; defaults to 30 s so a hung tool cannot hang a test. */
  timeoutMs?: number;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: CommandResult,
  ) {
    const why = result.code === null ? 'was killed' : `exited with ${result.code}`;
    super(`\`${argv.join(' ')}\` ${why}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs argv (no shell) and collects its output; throws CommandError on a non-zero exit unless allowFailure. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run \`${argv.join(' ')}\`: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { stdout, stderr, code };
      if (code !== 0 && !opts.allowFailure) reject(new CommandError(argv, result));
      else resolve(result);
    });
    // A command that never reads stdin may close it early: ignore EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Synchronous variant, for exit/signal handlers where the event loop is no longer usable. Never throws. */
export function runSync(argv: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): CommandResult {
  const r = spawnSync(argv[0], argv.slice(1), {
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 10_000,
  });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? r.error.message : ''), code: r.status };
}

/** Like `run` inside a network namespace. */
export function runInNetns(netns: string, argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return run(['ip', 'netns', 'exec', netns, ...argv], opts);
}

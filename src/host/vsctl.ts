import { execFile } from 'node:child_process';

export class VsctlError extends Error {
  override name = 'VsctlError';
}

/** Seconds ovs-vsctl may wait for ovsdb-server and for ovs-vswitchd to apply a change. */
const DEFAULT_TIMEOUT_S = 30;

/**
 * Runs ovs-vsctl against one OVS instance: `--db` when given, otherwise ovs-vsctl's own default,
 * which honours OVS_RUNDIR (so a lab host and a real host use the same command).
 */
export class Vsctl {
  constructor(
    readonly db: string | undefined,
    private readonly timeoutS = DEFAULT_TIMEOUT_S,
  ) {}

  /** Runs one transaction made of `commands` (each an argv without the `--` separator); resolves with stdout. */
  transact(commands: ReadonlyArray<readonly string[]>, globalOptions: readonly string[] = []): Promise<string> {
    return this.run([...globalOptions, ...commands.flatMap((c) => ['--', ...c])]);
  }

  run(args: readonly string[]): Promise<string> {
    const argv = [...(this.db ? [`--db=${this.db}`] : []), `--timeout=${this.timeoutS}`, ...args];
    return new Promise((resolve, reject) => {
      execFile('ovs-vsctl', argv, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const why = stderr.trim() || err.message;
        const hint = err.killed || /Alarm clock|signal 14/.test(why) ? ' (is ovs-vswitchd running for this database?)' : '';
        reject(new VsctlError(`ovs-vsctl ${argv.join(' ')} failed: ${why}${hint}`));
      });
    });
  }
}

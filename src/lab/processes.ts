import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

/** Pids of every process whose network namespace is one of the given /run/netns names. */
export function pidsInNetns(netnsNames: readonly string[]): number[] {
  const inodes = new Set<string>();
  for (const name of netnsNames) {
    try {
      inodes.add(`net:[${statSync(`/run/netns/${name}`).ino}]`);
    } catch {
      // netns already gone
    }
  }
  if (inodes.size === 0) return [];
  return allPids().filter((pid) => {
    try {
      return inodes.has(readlinkSync(`/proc/${pid}/ns/net`));
    } catch {
      return false;
    }
  });
}

/** Pids whose command line contains `needle` (e.g. a lab's run dir), excluding this process. */
export function pidsWithCmdline(needle: string): number[] {
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}

/** True while pid runs; a zombie (dead, not yet reaped by its parent, e.g. us) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL whatever is still alive after graceMs. Busy-waits, so usable from exit handlers. */
export function killPidsSync(pids: readonly number[], graceMs = 1000): void {
  const targets = pids.filter((p) => p !== process.pid);
  for (const pid of targets) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (targets.some(isAlive) && Date.now() < deadline) sleepSync(20);
  for (const pid of targets.filter(isAlive)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (targets.some(isAlive) && Date.now() < killDeadline) sleepSync(20);
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Kernel start time of a process (clock ticks since boot); with the pid it identifies a process even across pid reuse. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from './command.js';
import { LAB_ID_PREFIX, LAB_ROOT_DIR, labIdOfNetns, labOwnerPid } from './naming.js';
import { isAlive, killPidsSync, pidsInNetns, pidsWithCmdline, processStartTime, sleepSync } from './processes.js';

/** Lab ids of this process that have not been stopped yet; torn down on exit and on fatal signals. */
const activeLabs = new Map<string, () => void>();
let handlersInstalled = false;

export function listNetns(): string[] {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

export function labNetns(labId: string): string[] {
  return listNetns().filter((ns) => labIdOfNetns(ns) === labId);
}

export function labRunDir(labId: string): string {
  return join(LAB_ROOT_DIR, labId);
}

/** Written into the run dir at start: "<pid> <start time>", so a recycled pid is not mistaken for the owner. */
export function ownerRecord(): string {
  return `${process.pid} ${processStartTime(process.pid) ?? '?'}\n`;
}

function ownerIsAlive(labId: string, owner: number): boolean {
  if (!isAlive(owner)) return false;
  try {
    const recordedStart = readFileSync(join(labRunDir(labId), 'owner'), 'utf8').split(/\s+/)[1];
    return recordedStart === processStartTime(owner);
  } catch {
    return true; // no record (run dir already gone): trust the pid
  }
}

/**
 * Removes everything a lab made, without the event loop (usable from exit/signal handlers):
 * kills every process inside its namespaces or mentioning its run dir (daemons, VM commands,
 * tcpdump), deletes its namespaces (which takes their veths and taps along) and its run dir.
 */
export function teardownLabSync(labId: string): void {
  const runDir = labRunDir(labId);
  const namespaces = labNetns(labId);
  killPidsSync([...new Set([...pidsInNetns(namespaces), ...pidsWithCmdline(runDir)])]);
  for (const ns of namespaces) runSync(['ip', 'netns', 'del', ns]);
  // Deletion is asynchronous for the devices (gotcha 19); the names are gone at once, retry if busy.
  const deadline = Date.now() + 3000;
  while (labNetns(labId).length > 0 && Date.now() < deadline) {
    sleepSync(50);
    for (const ns of labNetns(labId)) runSync(['ip', 'netns', 'del', ns]);
  }
  rmSync(runDir, { recursive: true, force: true });
}

/** All lab ids with something left on this machine (namespaces or run dirs). */
export function listLabIds(prefix = LAB_ID_PREFIX): string[] {
  const ids = new Set<string>();
  for (const ns of listNetns()) {
    const id = labIdOfNetns(ns);
    if (id) ids.add(id);
  }
  try {
    for (const d of readdirSync(LAB_ROOT_DIR)) if (labOwnerPid(d) !== undefined) ids.add(d);
  } catch {
    // no run dir root yet
  }
  return [...ids].filter((id) => id.startsWith(prefix)).sort();
}

/**
 * Removes leftovers of labs whose owner process is gone (an earlier run killed with SIGKILL, a crashed
 * worker). Labs of live processes are left alone, so parallel test files do not hurt each other.
 * Returns the removed lab ids.
 */
export function cleanupStale(prefix = LAB_ID_PREFIX): string[] {
  const stale = listLabIds(prefix).filter((id) => {
    const owner = labOwnerPid(id);
    if (owner === undefined) return false;
    if (owner === process.pid) return !activeLabs.has(id);
    return !ownerIsAlive(id, owner);
  });
  for (const id of stale) teardownLabSync(id);
  return stale;
}

/** Registers a running lab so that process exit or SIGINT/SIGTERM/SIGHUP tears it down. */
export function registerActiveLab(labId: string, teardown: () => void): void {
  installHandlersOnce();
  activeLabs.set(labId, teardown);
}

export function unregisterActiveLab(labId: string): void {
  activeLabs.delete(labId);
}

function teardownAllActive(): void {
  for (const [id, teardown] of [...activeLabs]) {
    activeLabs.delete(id);
    try {
      teardown();
    } catch {
      teardownLabSync(id);
    }
  }
}

function installHandlersOnce(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', teardownAllActive);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      teardownAllActive();
      // If nobody else handles the signal, restore the default action and re-raise it, so the
      // process still dies the way its parent expects.
      process.removeListener(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

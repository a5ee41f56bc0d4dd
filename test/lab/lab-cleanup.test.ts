import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab, cleanupStale, listLabIds } from '../../src/lab/index.js';
import { NOTHING_LEFT, isRunning, leftoversOf } from './leftovers.js';

const HOLDER = fileURLToPath(new URL('./hold-lab.ts', import.meta.url));

/** Starts a lab in a child process and resolves with what it reports once the lab is up. */
async function startHolder(name: string): Promise<{ child: ChildProcess; id: string; sleeperPid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(out) as { id: string; sleeperPid: number }) });
    });
    child.on('exit', (code) => reject(new Error(`holder exited early (${code}): ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
}

describe('cleanup when the lab owner is interrupted or killed', () => {
  it('removes a half-built lab when start() fails', async () => {
    // The duplicate bridge makes the ovs-vsctl transaction fail after namespaces and daemons exist.
    const start = Lab.start({ name: 'broken', hosts: ['h1', 'h2'], providerBridges: ['br-eth1', 'br-eth1'] });
    await expect(start).rejects.toThrow(/ovs-vsctl/);
    expect(listLabIds('nlab-broken-')).toEqual([]);
    expect(leftoversOf('nlab-broken-')).toEqual(NOTHING_LEFT);
  });

  it('tears the lab down on SIGTERM and still dies of SIGTERM', async () => {
    const { child, id, sleeperPid } = await startHolder('term');
    expect(leftoversOf(id).netns).toHaveLength(3); // host, underlay, VM
    expect(isRunning(sleeperPid)).toBe(true);
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe('SIGTERM');
    expect(leftoversOf(id)).toEqual(NOTHING_LEFT);
    expect(isRunning(sleeperPid)).toBe(false);
  });

  it('cleanupStale() removes what a SIGKILLed owner left behind, and only that', async () => {
    const { child, id, sleeperPid } = await startHolder('kill');
    const alive = await startHolder('alive');
    try {
      const exit = exited(child);
      child.kill('SIGKILL');
      await exit;
      const left = leftoversOf(id);
      expect(left.netns).toHaveLength(3);
      expect(left.processes.some((p) => p.includes('ovs-vswitchd'))).toBe(true);
      expect(isRunning(sleeperPid)).toBe(true);

      expect(cleanupStale('nlab-kill-')).toEqual([id]);
      expect(leftoversOf(id)).toEqual(NOTHING_LEFT);
      expect(isRunning(sleeperPid)).toBe(false);
      // A lab whose owner is alive is not stale, even when its prefix matches.
      expect(cleanupStale()).not.toContain(alive.id);
      expect(listLabIds()).toContain(alive.id);
    } finally {
      const exit = exited(alive.child);
      alive.child.kill('SIGINT');
      await exit;
    }
    expect(leftoversOf(alive.id)).toEqual(NOTHING_LEFT);
  });
});

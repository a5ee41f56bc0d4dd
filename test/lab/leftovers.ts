import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LAB_ROOT_DIR } from '../../src/lab/index.js';

/** What is still on the machine for a lab id, as seen by the ordinary tools (not by the lab's own code). */
export function leftoversOf(labId: string): { netns: string[]; processes: string[]; runDir: boolean } {
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.includes(labId));
  let processes: string[] = [];
  try {
    processes = execFileSync('pgrep', ['-af', labId], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    // pgrep exits 1 when nothing matches
  }
  return { netns, processes, runDir: existsSync(`${LAB_ROOT_DIR}/${labId}`) };
}

export const NOTHING_LEFT = { netns: [], processes: [], runDir: false };

/** True while pid is a live process; a killed one waiting to be reaped (zombie) does not count. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

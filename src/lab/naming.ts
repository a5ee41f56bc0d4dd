import { randomBytes } from 'node:crypto';

/**
 * Every lab instance gets an id `nlab-<name>-<ownerPid>-<random>`. It prefixes all of its network
 * namespaces and names its run dir, so two labs (two test files) never collide, and a leftover of a
 * killed run can be recognised (its owner pid is dead) and removed by cleanupStale().
 * Interfaces never need the prefix: they all live inside the lab's own namespaces.
 */
export const LAB_ID_PREFIX = 'nlab-';
export const LAB_ROOT_DIR = '/tmp/neutrino-lab';

const NAME_RE = /^[a-z][a-z0-9]{0,11}$/;
const ID_RE = /^nlab-([a-z][a-z0-9]*)-(\d+)-([0-9a-f]{4})$/;

export function assertLabName(name: string): void {
  if (!NAME_RE.test(name)) throw new Error(`lab name "${name}" must match ${NAME_RE} (it becomes part of netns names)`);
}

export function makeLabId(name: string): string {
  assertLabName(name);
  return `${LAB_ID_PREFIX}${name}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/** Owner pid of a lab id, or undefined when the string is not a lab id. */
export function labOwnerPid(labId: string): number | undefined {
  const m = ID_RE.exec(labId);
  return m ? Number(m[2]) : undefined;
}

/** The lab id a netns name belongs to (`<labId>-<role>`), if any. */
export function labIdOfNetns(netns: string): string | undefined {
  const m = /^(nlab-[a-z][a-z0-9]*-\d+-[0-9a-f]{4})-/.exec(netns);
  return m ? m[1] : undefined;
}

export function netnsName(labId: string, role: string): string {
  return `${labId}-${role}`;
}

/** Linux interface names are limited to 15 bytes. */
export function assertIfaceName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) throw new Error(`interface name "${name}" is not a valid Linux name (1-15 chars)`);
}

import type { DesiredEntry } from './desired-flow.js';
import type { FlowIdentity } from './flow-key.js';

export interface FlowDiff {
  /** Desired flows the switch does not have. */
  add: DesiredEntry[];
  /** Desired flows the switch has with another cookie, timeouts, flags or instructions. */
  modify: DesiredEntry[];
  /** Installed flows nobody wants (and that we are allowed to delete). */
  remove: FlowIdentity[];
  unchanged: number;
}

/** Compares by identity key, then settings: both built from wire bytes, see flow-key.ts. */
export function diffFlows(
  desired: ReadonlyMap<string, DesiredEntry>,
  installed: ReadonlyMap<string, FlowIdentity>,
  mayDelete: (cookie: bigint) => boolean = () => true,
): FlowDiff {
  const d: FlowDiff = { add: [], modify: [], remove: [], unchanged: 0 };
  for (const [key, want] of desired) {
    const have = installed.get(key);
    if (!have) d.add.push(want);
    else if (!have.sameSettings(want.id)) d.modify.push(want);
    else d.unchanged++;
  }
  for (const [key, have] of installed) {
    if (!desired.has(key) && mayDelete(have.cookie)) d.remove.push(have);
  }
  return d;
}

export function diffSize(d: FlowDiff): number {
  return d.add.length + d.modify.length + d.remove.length;
}

import { l2HostFlows } from '../../src/apps/l2-apps.js';
import { flowToText } from '../../src/apps/flow-text.js';
import { cookieApp, cookieObject } from '../../src/config/pipeline.js';
import type { TopologySnapshot } from '../../src/topology/model.js';

/** Flows of one host as ovs-ofctl lines per bridge, for readable assertions. */
export function hostLines(snap: TopologySnapshot, host: string): Map<string, string[]> {
  return new Map([...l2HostFlows(snap, host)].map(([b, flows]) => [b, flows.map(flowToText)]));
}

export function linesOf(snap: TopologySnapshot, host: string, bridge: string): string[] {
  return hostLines(snap, host).get(bridge) ?? [];
}

/** Lines of a bridge without the cookie, which makes matches easy to write. */
export function bare(lines: string[]): string[] {
  return lines.map((l) => l.replace(/^cookie=0x[0-9a-f]+, /, ''));
}

export function cookieOfLine(line: string): { app: number; object: bigint } {
  const c = BigInt(/^cookie=(0x[0-9a-f]+)/.exec(line)?.[1] ?? '0x0');
  return { app: cookieApp(c), object: cookieObject(c) };
}

export interface LineDiff {
  added: string[];
  removed: string[];
}

/** What changes on each (host, bridge) between two snapshots; unchanged pairs are left out. */
export function diffSnapshots(before: TopologySnapshot, after: TopologySnapshot, hosts: string[]): Map<string, LineDiff> {
  const out = new Map<string, LineDiff>();
  for (const h of hosts) {
    const [a, b] = [hostLines(before, h), hostLines(after, h)];
    for (const bridge of new Set([...a.keys(), ...b.keys()])) {
      const [x, y] = [new Set(a.get(bridge) ?? []), new Set(b.get(bridge) ?? [])];
      const d = { added: [...y].filter((l) => !x.has(l)), removed: [...x].filter((l) => !y.has(l)) };
      if (d.added.length + d.removed.length > 0) out.set(`${h} ${bridge}`, d);
    }
  }
  return out;
}

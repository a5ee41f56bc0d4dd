/**
 * L2 apps compute time: `npx tsx bench/apps.bench.ts [--rounds 5]`. No OVS, no controller: just
 * `l2HostFlows` on the README's scale topology (10 networks x 100 ports x 3 hosts, 9,559 flows), in one
 * process, the text-built apps of before (test/apps/text-oracle: ovs-ofctl text -> parseFlow) against
 * src/apps (typed builders + memo across snapshots).
 *
 * - all hosts: every host's flows from a fresh snapshot. "cold" = memo cleared first (the first
 *   computation after start), "warm" = an equal snapshot was computed before (a recompute in which
 *   nothing changed: new snapshot objects, same flow objects back).
 * - one more port at 1,000: the hosts' flows of snapshot N were computed and encoded (indexDesired, as
 *   the reconciler does); then snapshot N + 1 port (on h1, net-0) is computed: its own host alone, or
 *   all hosts followed by the encoding of all their desired lists (only new objects are encoded).
 * Times are the median of --rounds, wall (ms) and process CPU (ms); the machine is shared.
 */
import { clearFlowMemo } from '../src/apps/flow-memo.js';
import { l2HostFlows } from '../src/apps/l2-apps.js';
import { indexDesired, type DesiredFlow } from '../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../src/topology/model.js';
import { SCALE_HOSTS, scaleSnapshot } from '../test/apps/scale-topology.js';
import { l2HostFlows as textHostFlows } from '../test/apps/text-oracle/l2-apps.js';

type Apps = typeof l2HostFlows;
const at = process.argv.indexOf('--rounds');
const ROUNDS = at < 0 ? 5 : Number(process.argv[at + 1]);

interface Sample {
  wall: number;
  cpu: number;
}

function timed(f: () => void): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

function median(xs: Sample[]): Sample {
  const mid = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1];
  return { wall: mid(xs.map((x) => x.wall)), cpu: mid(xs.map((x) => x.cpu)) };
}

const show = (s: Sample): string => `${s.wall.toFixed(1).padStart(7)} ms wall ${s.cpu.toFixed(1).padStart(7)} ms cpu`;

function allHosts(apps: Apps, snap: TopologySnapshot): DesiredFlow[][] {
  return SCALE_HOSTS.flatMap((h) => [...apps(snap, h).values()]);
}

function allHostsRun(apps: Apps, cold: boolean): Sample {
  const xs: Sample[] = [];
  if (!cold) allHosts(apps, scaleSnapshot());
  for (let r = 0; r < ROUNDS; r++) {
    const snap = scaleSnapshot();
    if (cold) clearFlowMemo();
    xs.push(timed(() => allHosts(apps, snap)));
  }
  return median(xs);
}

/** Computes (and encodes, as the reconciler does) every host's flows with `extra` extra ports: the state before a change. */
function settle(apps: Apps, extra: number): Set<DesiredFlow> {
  const lists = allHosts(apps, scaleSnapshot(100, extra));
  for (const list of lists) indexDesired(list);
  return new Set(lists.flat());
}

/**
 * Rounds alternate so that every timed change adds a port never computed before: own host (from
 * 2r to 2r+1 extra ports), then all hosts and their encoding (from 2r+1 to 2r+2).
 */
function oneMorePort(apps: Apps): { own: Sample; all: Sample; encode: Sample; fresh: number; flows: number } {
  const own: Sample[] = [];
  const all: Sample[] = [];
  const encode: Sample[] = [];
  let fresh = 0;
  let flows = 0;
  for (let r = 0; r < ROUNDS; r++) {
    settle(apps, 2 * r);
    const one = scaleSnapshot(100, 2 * r + 1);
    own.push(timed(() => apps(one, 'h1')));

    const seen = settle(apps, 2 * r + 1);
    const snap = scaleSnapshot(100, 2 * r + 2);
    let lists: DesiredFlow[][] = [];
    all.push(timed(() => (lists = allHosts(apps, snap))));
    encode.push(timed(() => lists.forEach((l) => indexDesired(l))));
    fresh = lists.flat().filter((f) => !seen.has(f)).length;
    flows = lists.flat().length;
  }
  return { own: median(own), all: median(all), encode: median(encode), fresh, flows };
}

function report(name: string, apps: Apps): void {
  const flows = allHosts(apps, scaleSnapshot()).flat().length;
  console.log(`${name}: ${flows} flows on ${SCALE_HOSTS.length} hosts`);
  if (apps === l2HostFlows) console.log(`  all hosts, cold memo         ${show(allHostsRun(apps, true))}`);
  console.log(`  all hosts${apps === l2HostFlows ? ', warm memo        ' : '                   '} ${show(allHostsRun(apps, false))}`);
  const one = oneMorePort(apps);
  console.log(`  +1 port at 1,000: own host   ${show(one.own)}`);
  console.log(`  +1 port at 1,000: all hosts  ${show(one.all)}   (${one.fresh} of ${one.flows} flow objects new)`);
  console.log(`  +1 port at 1,000: encode all ${show(one.encode)}   (indexDesired of every host's bridges)`);
}

const snapshotCost = median(Array.from({ length: ROUNDS }, () => timed(() => scaleSnapshot(100, 1))));
console.log(`createSnapshot of 1,001 ports (not counted below): ${show(snapshotCost)}`);
report('before (ovs-ofctl text -> parseFlow)', textHostFlows);
report('after (typed builders, memo)', l2HostFlows);

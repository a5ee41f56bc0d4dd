import type { Logger } from 'pino';
import { OFPG_ANY, OFPP_ANY, OFPTT_ALL } from '../openflow/messages/index.js';
import { formatFlowLine } from '../openflow/text/flow.js';
import type { SwitchSession } from '../switch/session.js';
import { addFlowMod, deleteFlowMod, indexDesired, type DesiredEntry, type DesiredFlow } from './desired-flow.js';
import { diffFlows, diffSize, type FlowDiff } from './diff.js';
import { flowStatsIdentities, type FlowIdentity } from './flow-key.js';

export interface ReconcileResult {
  bridge: string;
  /** 'connect': dump + diff on (re)connection; 'update': a change of the desired set; 'audit': `resync()`. */
  trigger: 'connect' | 'update' | 'audit';
  added: number;
  modified: number;
  removed: number;
  unchanged: number;
  /** FLOW_MODs sent (inside one bundle); 0 when the switch already held the desired set. */
  flowMods: number;
  /** On connect: the switch came back empty although it held flows before (ovs-vswitchd restart). */
  restartDetected: boolean;
  /**
   * Flows we just installed that the verification dump shows differently (the switch re-encoded
   * them, e.g. a match not built in OVS's own encoding): they would be re-sent on every reconnect.
   */
  notRoundTripping: number;
  ms: number;
}

export interface ReconcilerOptions {
  /** Which installed flows the reconciler may delete; default all (the controller owns its bridges). */
  mayDelete?: (cookie: bigint) => boolean;
  dumpTimeoutMs?: number;
  /** After a reconnect that changed flows, dump again to check every installed flow round-trips (default true). */
  verifyAfterConnect?: boolean;
}

interface BridgeState {
  desired: Map<string, DesiredEntry>;
  /** Our mirror of the switch's table; undefined while unknown (disconnected, or a push failed). */
  installed: Map<string, FlowIdentity> | undefined;
  /** Flow count of the last known table, kept across disconnects to spot a restarted switch. */
  lastInstalledCount: number;
  session: SwitchSession | undefined;
  /** Operations on a bridge run one at a time, in call order. */
  chain: Promise<unknown>;
}

/**
 * Keeps each bridge's flow table equal to the desired set. On (re)connect it dumps the table and
 * sends only the difference as ONE atomic ordered bundle; afterwards every change of the desired
 * set goes out as a bundle of just the changed flows. Nothing is sent when nothing differs.
 */
export class Reconciler {
  private readonly bridges = new Map<string, BridgeState>();

  constructor(
    private readonly log: Logger,
    private readonly opts: ReconcilerOptions = {},
  ) {}

  /**
   * Replaces the desired flows of a bridge; pushes the change if the bridge is connected and synced.
   * A set that cannot be encoded (or holds one identity twice) is rejected whole; the old one stays.
   */
  setDesired(bridgeKey: string, flows: readonly DesiredFlow[]): Promise<ReconcileResult | undefined> {
    const st = this.state(bridgeKey);
    try {
      st.desired = indexDesired(flows);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue(st, async () => {
      if (!st.session || st.session.isClosed) return undefined;
      if (!st.installed) return this.sync(st, st.session, 'update');
      return this.push(st, st.session, st.installed, 'update', false);
    });
  }

  /** Takes over a freshly connected bridge: dump, diff, one bundle. */
  attach(session: SwitchSession): Promise<ReconcileResult> {
    const key = session.identity?.key;
    if (!key) return Promise.reject(new Error('cannot reconcile a switch without identity'));
    const st = this.state(key);
    st.session = session;
    st.installed = undefined;
    session.closed$.subscribe({
      complete: () => {
        if (st.session !== session) return;
        st.session = undefined;
        st.installed = undefined;
      },
    });
    return this.enqueue(st, () => this.sync(st, session, 'connect'));
  }

  /** The predicate deciding which installed flows may be deleted. */
  get mayDelete(): (cookie: bigint) => boolean {
    return this.opts.mayDelete ?? (() => true);
  }

  desired(bridgeKey: string): DesiredEntry[] {
    return [...(this.bridges.get(bridgeKey)?.desired.values() ?? [])];
  }

  /** Dumps the switch's flows now (FLOW multipart, all tables) as identities. */
  async dumpInstalled(session: SwitchSession): Promise<FlowIdentity[]> {
    return flowStatsIdentities(await this.dumpFrames(session));
  }

  /** The raw FLOW multipart reply frames of a dump of every table. */
  dumpFrames(session: SwitchSession): Promise<Uint8Array[]> {
    return session.requestFrames(
      {
        type: 'multipart_request',
        flags: 0,
        body: { kind: 'flow', tableId: OFPTT_ALL, outPort: OFPP_ANY, outGroup: OFPG_ANY, cookie: 0n, cookieMask: 0n, match: [] },
      },
      this.opts.dumpTimeoutMs,
    );
  }

  /** Dumps and repairs a connected bridge now (e.g. after someone ran ovs-ofctl by hand). */
  resync(bridgeKey: string): Promise<ReconcileResult | undefined> {
    const st = this.state(bridgeKey);
    return this.enqueue(st, async () => (st.session && !st.session.isClosed ? this.sync(st, st.session, 'audit') : undefined));
  }

  private async sync(st: BridgeState, session: SwitchSession, trigger: ReconcileResult['trigger']): Promise<ReconcileResult> {
    const started = performance.now();
    const dumped = await this.dumpInstalled(session);
    const installed = new Map<string, FlowIdentity>();
    for (const f of dumped) installed.set(f.key, f);
    const restartDetected = installed.size === 0 && st.lastInstalledCount > 0;
    if (restartDetected) {
      session.log.warn({ before: st.lastInstalledCount }, 'switch came back with no flows (ovs-vswitchd restarted?): full reprogram');
    }
    return this.push(st, session, installed, trigger, restartDetected, started);
  }

  private async push(
    st: BridgeState,
    session: SwitchSession,
    installed: Map<string, FlowIdentity>,
    trigger: ReconcileResult['trigger'],
    restartDetected: boolean,
    started = performance.now(),
  ): Promise<ReconcileResult> {
    const d = diffFlows(st.desired, installed, this.opts.mayDelete);
    if (session.role === 'slave') {
      // A SLAVE may not modify flows (OFPBRC_IS_SLAVE): keep the dump, let the master program.
      st.installed = installed;
      session.log.info({ pending: diffSize(d) }, 'controller is SLAVE on this switch: not pushing flows');
      return { ...this.summary(session, trigger, d, 0, restartDetected, started), notRoundTripping: 0 };
    }
    const n = diffSize(d);
    if (n > 0) {
      // Deletes first so a full table never rejects the adds; the bundle makes the whole change atomic.
      const msgs = [...d.remove.map((f) => deleteFlowMod(f)), ...d.add.map((e) => addFlowMod(e.flow)), ...d.modify.map((e) => addFlowMod(e.flow))];
      st.installed = undefined; // unknown until the commit answers
      await session.bundle(msgs);
      for (const f of d.remove) installed.delete(f.key);
      for (const e of d.add) installed.set(e.id.key, e.id);
      for (const e of d.modify) installed.set(e.id.key, e.id);
    }
    const notRoundTripping = n > 0 && trigger === 'connect' && this.opts.verifyAfterConnect !== false ? await this.verify(session, d) : 0;
    st.installed = installed;
    st.lastInstalledCount = installed.size;
    const result = { ...this.summary(session, trigger, d, n, restartDetected, started), notRoundTripping };
    session.log.info(result, n ? 'flows reconciled' : 'flows already in sync');
    return result;
  }

  private summary(
    session: SwitchSession,
    trigger: ReconcileResult['trigger'],
    d: FlowDiff,
    flowMods: number,
    restartDetected: boolean,
    started: number,
  ): Omit<ReconcileResult, 'notRoundTripping'> {
    return {
      bridge: session.identity?.key ?? session.name,
      trigger,
      added: d.add.length,
      modified: d.modify.length,
      removed: d.remove.length,
      unchanged: d.unchanged,
      flowMods,
      restartDetected,
      ms: Math.round(performance.now() - started),
    };
  }

  /** Counts (and logs a few of) the flows just added or modified that the switch does not report back identically. */
  private async verify(session: SwitchSession, d: FlowDiff): Promise<number> {
    const now = new Map((await this.dumpInstalled(session)).map((f) => [f.key, f]));
    const bad = [...d.add, ...d.modify].filter((e) => !now.get(e.id.key)?.sameSettings(e.id));
    if (bad.length) {
      const examples = bad.slice(0, 5).map((e) => formatFlowLine({ ...e.flow, idleTimeout: e.flow.idleTimeout ?? 0, hardTimeout: e.flow.hardTimeout ?? 0 }, { stats: false }));
      session.log.warn(
        { count: bad.length, examples },
        'installed flows do not read back identically (build matches with MatchBuilder/parseFlow so they use OVS encoding); they will be re-sent on every reconnect',
      );
    }
    return bad.length;
  }

  private state(key: string): BridgeState {
    let st = this.bridges.get(key);
    if (!st) {
      st = { desired: new Map(), installed: undefined, lastInstalledCount: 0, session: undefined, chain: Promise.resolve() };
      this.bridges.set(key, st);
    }
    return st;
  }

  private enqueue<T>(st: BridgeState, op: () => Promise<T>): Promise<T> {
    const run = st.chain.then(op, op);
    st.chain = run.catch((err: unknown) => this.log.error({ err }, 'reconcile failed'));
    return run;
  }
}

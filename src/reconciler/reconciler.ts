import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import { OFPG_ANY, OFPP_ANY, OFPTT_ALL } from '../openflow/messages/index.js';
import { formatFlowLine } from '../openflow/text/flow.js';
import { BundleMessageError } from '../switch/errors.js';
import type { BundleItem, SwitchSession } from '../switch/session.js';
import { addToIndex, deleteFlowMod, deleteFlowModBytes, indexDesired, type DesiredEntry, type DesiredFlow } from './desired-flow.js';
import { diffFlows, diffSize, type FlowDiff } from './diff.js';
import { flowStatsIdentities, type FlowIdentity } from './flow-key.js';

export interface ReconcileResult {
  bridge: string;
  /**
   * 'connect': dump + diff on (re)connection; 'update': a change of the desired set; 'audit': `resync()`;
   * 'retry': the resync that follows a failed push.
   */
  trigger: 'connect' | 'update' | 'audit' | 'retry';
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
  /**
   * Smallest desired set `setDesired` streams into an empty, idle bridge while encoding it
   * (default 2048; Infinity: never, always encode the whole set first).
   */
  streamMinFlows?: number;
  /**
   * Backoff of the resync that follows a failed push (refused bundle, timeout): the first delay,
   * doubled after each failure up to maxMs (default 1 s … 30 s); false: never retry.
   */
  retry?: RetryBackoff | false;
}

export interface RetryBackoff {
  initialMs: number;
  maxMs: number;
}

/** A push or resync that failed while the bridge stayed connected; its table is unknown until a retry succeeds. */
export interface PushFailure {
  bridge: string;
  error: unknown;
  /** When the retry runs; undefined when retries are off. */
  retryInMs: number | undefined;
}

export const DEFAULT_RETRY: RetryBackoff = { initialMs: 1000, maxMs: 30_000 };

interface BridgeState {
  desired: Map<string, DesiredEntry>;
  /** Our mirror of the switch's table; undefined while unknown (disconnected, or a push failed). */
  installed: Map<string, FlowIdentity> | undefined;
  /** Flow count of the last known table, kept across disconnects to spot a restarted switch. */
  lastInstalledCount: number;
  session: SwitchSession | undefined;
  /** Operations on a bridge run one at a time, in call order. */
  chain: Promise<unknown>;
  /** Operations queued or running. */
  queued: number;
  /** Bumped by every setDesired: a streamed install only keeps its set if no newer one came. */
  generation: number;
  retryTimer: NodeJS.Timeout | undefined;
  /** Delay of the next retry; 0 while the last operation succeeded. */
  retryDelayMs: number;
}

/** A desired set at least this big, for an empty idle bridge, is encoded and sent in one pass (default). */
const STREAM_MIN_FLOWS = 2048;
const STREAM_CHUNK_FLOWS = 2048;

/**
 * Keeps each bridge's flow table equal to the desired set. On (re)connect it dumps the table and
 * sends only the difference as ONE atomic ordered bundle; afterwards every change of the desired
 * set goes out as a bundle of just the changed flows. Nothing is sent when nothing differs.
 */
export class Reconciler {
  /** Results of the retries that follow failed pushes (nobody else awaits them). */
  readonly retried$ = new Subject<ReconcileResult>();
  /** Every failed operation of a connected bridge, logged once here. */
  readonly failed$ = new Subject<PushFailure>();
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
    const generation = ++st.generation;
    const s = st.session;
    if (flows.length >= (this.opts.streamMinFlows ?? STREAM_MIN_FLOWS) && s && !s.isClosed && s.role !== 'slave' && st.queued === 0 && st.installed?.size === 0) {
      // A connected, idle bridge known to be empty (new, or ovs-vswitchd restarted): nothing to
      // delete, so each flow goes into the bundle as soon as it is encoded and the switch works on
      // the first ones while the rest are encoded. The set replaces the desired one once all of it
      // is encoded (a bad set is discarded whole, the old one stays, as below).
      return this.enqueue(st, () => this.streamInstall(st, s, flows, generation));
    }
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
    this.stopRetrying(st);
    session.closed$.subscribe({
      complete: () => {
        if (st.session !== session) return;
        st.session = undefined;
        st.installed = undefined;
        this.stopRetrying(st); // the reconnect dumps and repairs
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
    const st = this.bridges.get(bridgeKey); // no state for a bridge never seen (the API passes any name)
    if (!st) return Promise.resolve(undefined);
    return this.enqueue(st, async () => (st.session && !st.session.isClosed ? this.sync(st, st.session, 'audit') : undefined));
  }

  private async streamInstall(st: BridgeState, session: SwitchSession, flows: readonly DesiredFlow[], generation: number): Promise<ReconcileResult | undefined> {
    const installed = st.installed;
    if (st.session !== session || session.isClosed || session.role === 'slave' || !installed || installed.size !== 0) {
      // The bridge changed state meanwhile: the ordinary path.
      const idx = indexDesired(flows);
      if (generation === st.generation) st.desired = idx;
      if (!st.session || st.session.isClosed) return undefined;
      return st.installed ? this.push(st, st.session, st.installed, 'update', false) : this.sync(st, st.session, 'update');
    }
    const started = performance.now();
    const bundle = await session.openBundle();
    st.installed = undefined; // unknown until the commit answers
    const idx = new Map<string, DesiredEntry>();
    const add: DesiredEntry[] = [];
    try {
      for (let i = 0; i < flows.length; ) {
        const end = Math.min(i + STREAM_CHUNK_FLOWS, flows.length);
        const bytes: Uint8Array[] = [];
        for (; i < end; i++) {
          const e = addToIndex(idx, flows[i]);
          add.push(e);
          bytes.push(e.bytes);
        }
        await bundle.add(bytes);
      }
    } catch (err) {
      await bundle.discard().catch(() => undefined);
      if (!session.isClosed) st.installed = installed; // nothing was applied
      throw err;
    }
    if (generation === st.generation) st.desired = idx;
    const d: FlowDiff = { add, modify: [], remove: [], unchanged: 0 };
    try {
      await bundle.commit();
    } catch (err) {
      if (err instanceof BundleMessageError) this.nameRefusedFlow(err, d);
      throw err;
    }
    for (const e of add) installed.set(e.id.key, e.id);
    st.installed = installed;
    st.lastInstalledCount = installed.size;
    const result = { ...this.summary(session, 'update', d, add.length, false, started), notRoundTripping: 0 };
    session.log.info(result, 'flows reconciled');
    return result;
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
      // Each desired flow's FLOW_MOD was encoded once for its identity: those bytes go out as they are.
      const msgs: BundleItem[] = d.remove.map((f) => deleteFlowModBytes(f));
      for (const e of d.add) msgs.push(e.bytes);
      for (const e of d.modify) msgs.push(e.bytes);
      st.installed = undefined; // unknown until the commit answers
      try {
        await session.bundle(msgs);
      } catch (err) {
        if (err instanceof BundleMessageError) this.nameRefusedFlow(err, d);
        throw err;
      }
      for (const f of d.remove) installed.delete(f.key);
      for (const e of d.add) installed.set(e.id.key, e.id);
      for (const e of d.modify) installed.set(e.id.key, e.id);
    }
    const notRoundTripping = n > 0 && trigger === 'connect' && this.opts.verifyAfterConnect !== false ? await this.verify(session, d) : 0;
    st.installed = installed;
    st.lastInstalledCount = installed.size;
    const result = { ...this.summary(session, trigger, d, n, restartDetected, started), notRoundTripping };
    // A quiet periodic audit is routine: not worth an info line per bridge and interval.
    if (n === 0 && trigger === 'audit') session.log.debug(result, 'flows already in sync');
    else session.log.info(result, n ? 'flows reconciled' : 'flows already in sync');
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

  /** Ties the error to the flow the switch refused (bundle order: removes, adds, modifies); `failed()` logs it. */
  private nameRefusedFlow(err: BundleMessageError, d: FlowDiff): void {
    const i = err.index;
    const nr = d.remove.length;
    const na = d.add.length;
    let line: string;
    if (i < nr) {
      line = `delete ${formatFlowLine({ ...deleteFlowMod(d.remove[i]), instructions: [] }, { stats: false }).trim()}`;
    } else {
      const e = i < nr + na ? d.add[i - nr] : d.modify[i - nr - na];
      if (!e) return;
      line = `${i < nr + na ? 'add' : 'modify'} ${desiredText(e.flow)}`;
    }
    err.describe(line);
  }

  /** Counts (and logs a few of) the flows just added or modified that the switch does not report back identically. */
  private async verify(session: SwitchSession, d: FlowDiff): Promise<number> {
    const now = new Map((await this.dumpInstalled(session)).map((f) => [f.key, f]));
    const bad = [...d.add, ...d.modify].filter((e) => !now.get(e.id.key)?.sameSettings(e.id));
    if (bad.length) {
      const examples = bad.slice(0, 5).map((e) => desiredText(e.flow));
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
      st = {
        desired: new Map(),
        installed: undefined,
        lastInstalledCount: 0,
        session: undefined,
        chain: Promise.resolve(),
        queued: 0,
        generation: 0,
        retryTimer: undefined,
        retryDelayMs: 0,
      };
      this.bridges.set(key, st);
    }
    return st;
  }

  private enqueue<T>(st: BridgeState, op: () => Promise<T>): Promise<T> {
    st.queued++;
    const run = st.chain.then(op, op).finally(() => st.queued--);
    st.chain = run.then(
      () => {
        if (st.installed) this.stopRetrying(st); // the table is known again
      },
      (err: unknown) => this.failed(st, err),
    );
    return run;
  }

  /**
   * Logs a failed operation once (with the refused flow) and, if the bridge is still connected but
   * its table is now unknown (a refused or timed-out bundle, a failed dump on connect), schedules a resync.
   */
  private failed(st: BridgeState, err: unknown): void {
    const session = st.session;
    if (!session || session.isClosed) return; // the reconnect dumps and repairs
    const backoff = this.opts.retry === false ? undefined : (this.opts.retry ?? DEFAULT_RETRY);
    const retryInMs = backoff && !st.installed ? Math.max(backoff.initialMs, st.retryDelayMs) : undefined;
    const flow = err instanceof BundleMessageError ? err.subject : undefined;
    session.log.warn({ error: err instanceof Error ? err.message : String(err), flow, retryInMs }, retryInMs === undefined ? 'reconcile failed' : 'reconcile failed; retrying');
    this.failed$.next({ bridge: session.identity?.key ?? session.name, error: err, retryInMs });
    if (!backoff || retryInMs === undefined) return;
    clearTimeout(st.retryTimer);
    st.retryDelayMs = Math.min(retryInMs * 2, backoff.maxMs);
    st.retryTimer = setTimeout(() => {
      st.retryTimer = undefined;
      this.enqueue(st, () => this.retry(st, session)).catch(() => undefined); // failed() handles it
    }, retryInMs);
    st.retryTimer.unref();
  }

  private async retry(st: BridgeState, session: SwitchSession): Promise<ReconcileResult | undefined> {
    // Gone, or repaired meanwhile by another operation.
    if (st.session !== session || session.isClosed || st.installed) return undefined;
    const result = await this.sync(st, session, 'retry');
    this.retried$.next(result);
    return result;
  }

  private stopRetrying(st: BridgeState): void {
    clearTimeout(st.retryTimer);
    st.retryTimer = undefined;
    st.retryDelayMs = 0;
  }
}

function desiredText(f: DesiredFlow): string {
  return formatFlowLine({ ...f, idleTimeout: f.idleTimeout ?? 0, hardTimeout: f.hardTimeout ?? 0 }, { stats: false }).trim();
}

import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { Reconciler, ReconcileResult } from '../reconciler/reconciler.js';
import type { SwitchSession } from '../switch/session.js';
import type { FlowLoop } from './flow-loop.js';

/** Each period is the interval ±25%, so bridges attached together drift apart instead of being dumped at once. */
const JITTER = 0.25;

/**
 * The periodic audit: every attached bridge is resynced (dump, diff, only the difference in one bundle)
 * about once per interval, so flows someone deleted or added by hand with ovs-ofctl are repaired without
 * waiting for a reconnect. The reconciler runs a bridge's operations one at a time, so an audit never
 * overlaps a push; a bridge has at most one audit queued.
 */
export class BridgeAudit {
  /** Every audit that ran (periodic or on request). */
  readonly audited$ = new Subject<ReconcileResult>();
  private readonly timers = new Map<SwitchSession, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly loop: FlowLoop,
    private readonly log: Logger,
    /** 0 disables the periodic audit (`auditNow` still works). */
    private readonly intervalMs: number,
  ) {
    if (intervalMs > 0) loop.attached$.subscribe((s) => this.follow(s));
  }

  /** Dumps and repairs one bridge now; undefined when it is not connected and attached. */
  async auditNow(bridgeKey: string): Promise<ReconcileResult | undefined> {
    const r = await this.reconciler.resync(bridgeKey);
    if (!r) return undefined;
    this.loop.record(r);
    this.audited$.next(r);
    if (r.flowMods > 0) {
      this.log.warn(
        { bridge: r.bridge, added: r.added, modified: r.modified, removed: r.removed, flowMods: r.flowMods },
        'audit found flows that drifted from the desired set and repaired them',
      );
    }
    return r;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private follow(session: SwitchSession): void {
    if (this.stopped || session.isClosed) return;
    this.schedule(session);
    session.closed$.subscribe({ complete: () => this.forget(session) });
  }

  private schedule(session: SwitchSession): void {
    const delay = this.intervalMs * (1 - JITTER + 2 * JITTER * Math.random());
    const timer = setTimeout(() => void this.tick(session), delay);
    timer.unref();
    this.timers.set(session, timer);
  }

  private async tick(session: SwitchSession): Promise<void> {
    if (this.stopped || session.isClosed) return this.forget(session);
    try {
      await this.auditNow(session.identity!.key);
    } catch {
      // The reconciler logged it and retries it with backoff; the next audit comes anyway.
    }
    if (!this.stopped && !session.isClosed) this.schedule(session);
  }

  private forget(session: SwitchSession): void {
    clearTimeout(this.timers.get(session));
    this.timers.delete(session);
  }
}

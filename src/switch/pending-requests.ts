/**
 * Requests in flight on one connection, keyed by xid.
 *
 * Two kinds: a *reply* request (echo, features, multipart, barrier, bundle control...) settles
 * with the reply frames; a *silent* request (flow_mod, group_mod...) has no reply on success,
 * so it settles when any later reply request settles: the switch handles one connection's
 * messages in order, so by then an error for it would already have arrived.
 */
export interface PendingRequest {
  readonly xid: number;
  readonly requestType: string;
  readonly seq: number;
  readonly silent: boolean;
  /** 0 = no timeout; otherwise restarted by every multipart part. */
  readonly timeoutMs: number;
  /** Reply frames so far (several for a multipart reply with the MORE flag). */
  readonly frames: Uint8Array[];
  /** Bytes of `frames`, checked against the session's reply cap. */
  bytes: number;
  resolve(frames: Uint8Array[]): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

export class PendingRequests {
  private readonly byXid = new Map<number, PendingRequest>();
  /** Silent requests in send order: settled in bulk by the next reply. */
  private silentQueue: PendingRequest[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.byXid.size;
  }

  get(xid: number): PendingRequest | undefined {
    return this.byXid.get(xid);
  }

  add(
    xid: number,
    requestType: string,
    silent: boolean,
    timeoutMs: number,
    resolve: (frames: Uint8Array[]) => void,
    reject: (err: Error) => void,
  ): PendingRequest {
    if (this.byXid.has(xid)) throw new Error(`xid ${xid} is already in flight`);
    const p: PendingRequest = { xid, requestType, seq: this.nextSeq++, silent, timeoutMs, frames: [], bytes: 0, resolve, reject };
    this.byXid.set(xid, p);
    if (silent) this.silentQueue.push(p);
    return p;
  }

  /** Removes a request and returns it (so the caller settles it exactly once). */
  take(xid: number): PendingRequest | undefined {
    const p = this.byXid.get(xid);
    if (!p) return undefined;
    this.byXid.delete(xid);
    if (p.timer) clearTimeout(p.timer);
    return p;
  }

  /** Resolves every silent request sent before `seq` that is still pending. */
  settleSilentBefore(seq: number): void {
    let i = 0;
    const q = this.silentQueue;
    while (i < q.length && q[i].seq < seq) {
      // Skip entries an error already settled.
      if (this.byXid.get(q[i].xid) === q[i]) this.take(q[i].xid)?.resolve([]);
      i++;
    }
    if (i) this.silentQueue = q.slice(i);
  }

  /** Rejects everything (connection lost). */
  rejectAll(makeError: (p: PendingRequest) => Error): void {
    const all = [...this.byXid.values()];
    this.byXid.clear();
    this.silentQueue = [];
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(makeError(p));
    }
  }
}

import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { Writer } from '../openflow/bytes.js';
import { EncodeError } from '../openflow/errors.js';
import {
  BundleCtrlType,
  decodeMessage,
  encodeMessage,
  FrameDecoder,
  makeHello,
  mergeMultipartReplies,
  negotiateVersion,
  OFP13_VERSION,
  OFPBF_ATOMIC,
  OFPBF_ORDERED,
  OFPMPF_REPLY_MORE,
  OfpType,
  ONF_VENDOR_ID,
  ONFT_BUNDLE_ADD_MESSAGE,
  PortReason,
  type ErrorMsg,
  type FeaturesReply,
  type Hello,
  type MultipartReply,
  type MultipartRequestBody,
  type OfMessage,
  type OfPort,
  type RoleReply,
} from '../openflow/messages/index.js';
import { BundleMessageError, describeOfpError, OfpErrorReply, RequestTimeoutError, SessionClosedError } from './errors.js';
import { formatDpid, parseDpDesc, type SwitchIdentity } from './identity.js';
import type { AsyncMessageEvent, PortChange, PortEvent, UnsolicitedErrorEvent } from './events.js';
import { OutputQueue } from './output-queue.js';
import { DEFAULT_SESSION_OPTIONS, ROLE_CODES, type RoleName, type SessionOptions } from './session-options.js';
import { PendingRequests, type PendingRequest } from './pending-requests.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message as callers build it: the session fills in version and xid. */
export type OutgoingMessage = DistributiveOmit<OfMessage, 'version' | 'xid'> & { xid?: number };
/**
 * One message of a bundle: a message to encode, or one already encoded (a whole OF1.3 message,
 * header included, e.g. the FLOW_MOD bytes the reconciler keeps per desired flow; its xid is replaced).
 */
export type BundleItem = OutgoingMessage | Uint8Array;

/**
 * A bundle being filled (`SwitchSession.openBundle`): add messages in parts, then commit or discard.
 * `bundle(msgs)` is open + add + commit; this lets a caller stream messages it is still producing.
 */
export interface OpenBundle {
  readonly bundleId: number;
  /** Messages added so far. */
  readonly size: number;
  /**
   * Writes BUNDLE_ADDs for the messages, straight into the output batches; resolves once queued
   * output is back under the low-water mark. Rejects if a message cannot be encoded (EncodeError):
   * the bundle can then only be discarded (`commit()` discards it and rejects with that error).
   */
  add(msgs: readonly BundleItem[]): Promise<void>;
  /**
   * BARRIER, then COMMIT, or DISCARD if the switch refused any message as it was added (OVS leaves
   * it out and would commit the rest). Rejects with a BundleMessageError for the first refused
   * message (at add or at commit), else with the commit's own error.
   */
  commit(): Promise<void>;
  /** DISCARD: nothing of the bundle is applied. */
  discard(): Promise<void>;
}

/** Xids of one `add()` of a bundle (consecutive), with the position of its first message in the bundle. */
interface XidBlock {
  first: number;
  msgs: readonly BundleItem[];
  base: number;
}

/** The xid blocks of one open bundle, and the errors the switch sent for them, in order. */
interface BundleXids {
  blocks: XidBlock[];
  errors: Array<{ err: ErrorMsg; index: number; messageType: string }>;
}

/** ofp_header + ONF experimenter header + bundle_id, pad, flags: what precedes the bundled message. */
const BUNDLE_ADD_HEADER_LEN = 24;

const INNER_TYPE_NAMES: Record<number, string> = {
  [OfpType.FLOW_MOD]: 'flow_mod',
  [OfpType.GROUP_MOD]: 'group_mod',
  [OfpType.PORT_MOD]: 'port_mod',
  [OfpType.METER_MOD]: 'meter_mod',
};
const innerTypeName = (m: BundleItem): string => (m instanceof Uint8Array ? (INNER_TYPE_NAMES[m[1]] ?? `type ${m[1]}`) : m.type);

const PORT_CHANGES: Record<number, PortChange> = {
  [PortReason.Add]: 'added',
  [PortReason.Delete]: 'removed',
  [PortReason.Modify]: 'changed',
};

/**
 * One OpenFlow connection from a bridge: handshake, keepalive, requests matched to replies by xid,
 * batched output with a memory cap, and the switch's asynchronous messages as observables.
 */
export class SwitchSession {
  readonly ports$ = new Subject<PortEvent>();
  readonly packetIn$ = new Subject<AsyncMessageEvent>();
  readonly flowRemoved$ = new Subject<AsyncMessageEvent>();
  readonly error$ = new Subject<UnsolicitedErrorEvent>();
  /** Emits the reason once, when the connection is gone. */
  readonly closed$ = new Subject<string>();

  readonly version = OFP13_VERSION;
  datapathId = 0n;
  dpDesc = '';
  identity: SwitchIdentity | undefined;
  readonly ports = new Map<number, OfPort>();
  /** Our controller role on this switch; OpenFlow starts every connection as EQUAL. */
  role: RoleName = 'equal';
  /** Messages sent, by type (bundled messages are counted by their inner type too). */
  readonly sentCounts = new Map<string, number>();

  private state: 'hello' | 'handshake' | 'ready' | 'closed' = 'hello';
  private closeReason = '';
  private readonly frames = new FrameDecoder();
  private readonly pending = new PendingRequests();
  private readonly out: OutputQueue;
  private nextXid = 1;
  private nextBundleId = 1;
  /** Bundles being added or committed: errors carrying one of their xids belong to them. */
  private readonly bundleXids: BundleXids[] = [];
  private lastRx = Date.now();
  private keepalive: NodeJS.Timeout | undefined;
  private echoInFlight = false;
  private helloWaiter: { resolve: (h: Hello) => void; reject: (e: Error) => void } | undefined;
  log: Logger;

  constructor(
    private readonly socket: Duplex,
    logger: Logger,
    private readonly opts: SessionOptions = DEFAULT_SESSION_OPTIONS,
  ) {
    this.log = logger;
    this.out = new OutputQueue(socket as Duplex & { writableLength: number }, opts.output, (queued) =>
      this.close(`output queue over its cap (${queued} bytes queued, cap ${opts.output.capBytes}): switch too slow or stuck`),
    );
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
  }

  /** A stable name for logs and errors: the identity once known, else the datapath id. */
  get name(): string {
    if (this.identity) return this.identity.key;
    if (this.datapathId) return `dpid:${formatDpid(this.datapathId)}`;
    return 'switch';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  get queuedBytes(): number {
    return this.out.queuedBytes;
  }

  /** Socket writes (one per batch) and bytes written so far. */
  get outputStats(): { writes: number; bytes: number } {
    return { writes: this.out.writes, bytes: this.out.bytesWritten };
  }

  /**
   * HELLO (we offer OF1.3 only), FEATURES, SET_CONFIG, DESC, PORT_DESC, optional ROLE, then a barrier.
   * Resolves once the switch is usable; rejects (and closes) if any step fails or it takes too long.
   */
  async handshake(): Promise<void> {
    const deadline = setTimeout(() => this.close(`handshake not done within ${this.opts.handshakeTimeoutMs} ms`), this.opts.handshakeTimeoutMs);
    try {
      const helloSeen = new Promise<Hello>((resolve, reject) => (this.helloWaiter = { resolve, reject }));
      // Header version 4 and a bitmap of 1.3 alone: we speak OF1.3 (and its ONF bundle extension) only.
      this.send(makeHello([OFP13_VERSION]));
      this.startKeepalive();
      await helloSeen;
      this.state = 'handshake';
      const features = (await this.request({ type: 'features_request' })) as FeaturesReply;
      this.datapathId = features.datapathId;
      // miss_send_len NO_BUFFER: whole packets in PACKET_IN, the switch keeps no buffers for us.
      this.send({ type: 'set_config', flags: 0, missSendLen: 0xffff });
      const desc = await this.multipart({ kind: 'desc' });
      if (desc.body.kind === 'desc') this.dpDesc = desc.body.dpDesc;
      this.identity = parseDpDesc(this.dpDesc);
      this.log = this.log.child({ switch: this.name, dpid: formatDpid(this.datapathId) });
      const portDesc = await this.multipart({ kind: 'port_desc' });
      if (portDesc.body.kind === 'port_desc') for (const p of portDesc.body.ports) this.ports.set(p.portNo, p);
      if (this.opts.role) await this.setRole(this.opts.role.role, this.opts.role.generationId);
      await this.barrier();
      this.state = 'ready';
      this.log.info({ ports: this.ports.size, dpDesc: this.dpDesc }, 'switch handshake done');
    } catch (err) {
      this.close(`handshake failed: ${(err as Error).message}`);
      throw err;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Queues a message without expecting a reply; returns its xid. */
  send(msg: OutgoingMessage): number {
    // xid 0 (what addFlowMod/deleteFlowMod put there) means "allocate one", like an absent xid.
    const xid = msg.xid || this.allocXid();
    const full = { ...msg, version: this.version, xid } as OfMessage;
    this.out.push((w: Writer) => encodeMessage(w, full));
    this.count(full);
    return xid;
  }

  /** Sends a request and resolves with its decoded reply (a multipart reply merged from all its parts). */
  async request(msg: OutgoingMessage, timeoutMs = this.opts.requestTimeoutMs): Promise<OfMessage> {
    const frames = await this.requestFrames(msg, timeoutMs);
    if (frames.length === 1) return decodeMessage(frames[0]);
    return mergeMultipartReplies(frames.map((f) => decodeMessage(f) as MultipartReply));
  }

  /** Multipart request, merged reply. */
  async multipart(body: MultipartRequestBody, timeoutMs?: number): Promise<MultipartReply> {
    return (await this.request({ type: 'multipart_request', flags: 0, body }, timeoutMs)) as MultipartReply;
  }

  /**
   * Sends a request and resolves with the raw reply frames, undecoded: the reconciler parses big
   * flow dumps itself. The timeout restarts with every multipart part received.
   */
  requestFrames(msg: OutgoingMessage, timeoutMs = this.opts.requestTimeoutMs): Promise<Uint8Array[]> {
    return this.track(msg, false, timeoutMs);
  }

  /**
   * Sends a message that has no reply on success (flow_mod, group_mod...). Resolves once a later
   * reply proves the switch processed it without error (see `barrier`), rejects with OfpErrorReply.
   */
  sendTracked(msg: OutgoingMessage): Promise<void> {
    return this.track(msg, true, 0).then(() => undefined);
  }

  /** BARRIER: resolves when the switch has processed everything sent before it. */
  async barrier(timeoutMs?: number): Promise<void> {
    await this.requestFrames({ type: 'barrier_request' }, timeoutMs);
  }

  /** Sends the messages then a barrier, the commit point; rejects with the first error any of them got. */
  async commit(msgs: readonly OutgoingMessage[]): Promise<void> {
    const done: Promise<void>[] = [];
    for (const m of msgs) {
      if (this.isClosed) break; // the barrier below then rejects with the reason
      done.push(handled(this.sendTracked(m)));
      if (this.out.queuedBytes > this.opts.output.lowWaterBytes) await this.out.whenDrained();
    }
    done.push(this.barrier());
    await firstRejection(done);
  }

  /**
   * Applies the messages as one OpenFlow bundle (ONF extension 230 in OF1.3, which OVS implements):
   * all or nothing, in order. OPEN, the BUNDLE_ADDs, then a BARRIER: OVS answers a message it
   * refuses at add time with an error and leaves it out of the bundle, but would commit the rest;
   * so if any add failed (or a message cannot be encoded) the bundle is DISCARDed, else COMMITted.
   * Rejects with a `BundleMessageError` for the first refused message (its `index` in `msgs`),
   * whether refused at add time or while the commit applied it; else with the commit's own error.
   * One promise per bundle: the adds are tracked as a range of xids, not one request each.
   */
  async bundle(msgs: readonly BundleItem[], flags = OFPBF_ATOMIC | OFPBF_ORDERED): Promise<void> {
    const b = await this.openBundle(flags);
    try {
      await b.add(msgs);
    } catch {
      // commit() discards a bundle whose messages could not all be encoded, and rejects with the reason.
    }
    await b.commit();
  }

  /**
   * OPENs a bundle to fill with `add()`; see OpenBundle. The adds follow the OPEN without waiting
   * for its reply (one round trip less); `commit()` checks it, and discards the bundle if it failed.
   */
  async openBundle(flags = OFPBF_ATOMIC | OFPBF_ORDERED): Promise<OpenBundle> {
    const bundleId = this.nextBundleId++;
    const empty = new Uint8Array(0);
    const control = (ctrlType: number): Promise<Uint8Array[]> =>
      this.requestFrames({ type: 'bundle_control', bundleId, ctrlType, flags, properties: empty });
    if (this.isClosed) throw new SessionClosedError(this.name, this.closeReason);
    const opened = handled(control(BundleCtrlType.OpenRequest));
    const tracked: BundleXids = { blocks: [], errors: [] };
    this.bundleXids.push(tracked);
    let size = 0;
    let encodeError: Error | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.bundleXids.splice(this.bundleXids.indexOf(tracked), 1);
    };
    const refused = (): BundleMessageError => {
      const { err, index, messageType } = tracked.errors[0];
      return new BundleMessageError(describeOfpError(err), err.errType, err.code, err.xid, this.name, index, messageType);
    };
    const discard = async (): Promise<void> => {
      try {
        await control(BundleCtrlType.DiscardRequest);
      } finally {
        finish();
      }
    };
    return {
      bundleId,
      get size() {
        return size;
      },
      add: async (msgs) => {
        if (finished) throw new Error(`bundle ${bundleId} is already committed or discarded`);
        if (encodeError) throw encodeError;
        if (!msgs.length) return;
        const block: XidBlock = { first: this.allocXidBlock(msgs.length), msgs, base: size };
        tracked.blocks.push(block);
        size += msgs.length;
        const err = await this.writeBundleAdds(msgs, bundleId, flags, block.first);
        if (err) throw (encodeError = err);
      },
      commit: async () => {
        if (finished) throw new Error(`bundle ${bundleId} is already committed or discarded`);
        try {
          // Closed meanwhile: the barrier rejects with the reason. Its reply comes after every add's error.
          await this.barrier();
          const openError = await opened.then(
            () => undefined,
            (err: unknown) => err as Error,
          );
          if (openError || encodeError || tracked.errors.length) {
            await discard().catch((err: unknown) => this.log.warn({ err, bundleId }, 'bundle discard failed'));
            throw openError ?? encodeError ?? refused();
          }
          try {
            await control(BundleCtrlType.CommitRequest);
          } catch (err) {
            // OVS reports the message that failed at commit (with its BUNDLE_ADD's xid) before the commit's OFPBFC_MSG_FAILED.
            throw tracked.errors.length ? refused() : err;
          }
          if (tracked.errors.length) throw refused();
        } finally {
          finish();
        }
      },
      discard,
    };
  }

  /**
   * Writes the BUNDLE_ADDs straight into the output batch, a batch-sized chunk per push, waiting for
   * the socket to drain between chunks. Returns the error of a message that could not be encoded.
   */
  private async writeBundleAdds(msgs: readonly BundleItem[], bundleId: number, flags: number, firstXid: number): Promise<Error | undefined> {
    const n = msgs.length;
    const chunkBytes = this.opts.output.flushBytes;
    let i = 0;
    const writeChunk = (w: Writer): void => {
      const stop = w.pos + chunkBytes;
      w.ensure(chunkBytes + 4096); // one allocation for the chunk instead of doubling as it fills
      while (i < n && w.pos < stop) {
        writeBundleAdd(w, msgs[i], bundleId, flags, firstXid + i, this.version);
        i++;
      }
    };
    while (i < n && !this.isClosed) {
      const before = i;
      try {
        this.out.push(writeChunk);
      } catch (err) {
        return err as Error;
      }
      if (i === before) break; // output closed
      this.countBundled(msgs, before, i);
      if (this.out.queuedBytes > this.opts.output.lowWaterBytes) await this.out.whenDrained();
    }
    return undefined;
  }

  /** Counts bundled messages by inner type (runs of one type at a time), and as BUNDLE_ADDs. */
  private countBundled(msgs: readonly BundleItem[], from: number, to: number): void {
    this.countType('bundle_add_message', to - from);
    let type = '';
    let run = 0;
    for (let k = from; k < to; k++) {
      const m = msgs[k];
      const t = m instanceof Uint8Array && m[1] === OfpType.FLOW_MOD ? 'flow_mod' : innerTypeName(m);
      if (t !== type) {
        if (run) this.countType(type, run);
        type = t;
        run = 0;
      }
      run++;
    }
    if (run) this.countType(type, run);
  }

  async setRole(role: RoleName, generationId: bigint): Promise<RoleReply> {
    const reply = (await this.request({ type: 'role_request', role: ROLE_CODES[role], generationId })) as RoleReply;
    this.role = role;
    this.log.info({ role, generationId: generationId.toString() }, 'controller role set');
    return reply;
  }

  /** Resolves when queued output is back under the low-water mark. */
  whenDrained(): Promise<void> {
    return this.out.whenDrained();
  }

  /**
   * Drops the connection. `flush` first hands what is queued to the socket (e.g. a HELLO_FAILED
   * error) and half-closes; otherwise (stuck or dead peer) the socket is destroyed at once.
   */
  close(reason: string, flush = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    if (this.keepalive) clearInterval(this.keepalive);
    if (flush) {
      this.out.flushNow();
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    } else {
      this.socket.destroy();
    }
    this.out.close();
    this.helloWaiter?.reject(new SessionClosedError(this.name, reason));
    this.pending.rejectAll(() => new SessionClosedError(this.name, reason));
    this.log.info({ reason }, 'switch disconnected');
    this.closed$.next(reason);
    for (const s of [this.ports$, this.packetIn$, this.flowRemoved$, this.error$, this.closed$]) s.complete();
  }

  get disconnectReason(): string {
    return this.closeReason;
  }

  private track(msg: OutgoingMessage, silent: boolean, timeoutMs: number): Promise<Uint8Array[]> {
    if (this.state === 'closed') return Promise.reject(new SessionClosedError(this.name, this.closeReason));
    const xid = msg.xid || this.allocXid();
    return new Promise<Uint8Array[]>((resolve, reject) => {
      const p = this.pending.add(xid, msg.type, silent, timeoutMs, resolve, reject);
      if (timeoutMs > 0) this.armTimeout(p, timeoutMs);
      try {
        this.send({ ...msg, xid } as OutgoingMessage);
      } catch (err) {
        this.pending.take(xid);
        reject(err as Error);
      }
    });
  }

  private armTimeout(p: PendingRequest, timeoutMs: number): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      if (this.pending.take(p.xid) === p) p.reject(new RequestTimeoutError(p.requestType, p.xid, timeoutMs, this.name));
    }, timeoutMs);
  }

  private allocXid(): number {
    const xid = this.nextXid;
    this.nextXid = xid >= 0xffffffff ? 1 : xid + 1;
    return xid;
  }

  /** `n` consecutive xids (never wrapping inside the block); returns the first. */
  private allocXidBlock(n: number): number {
    if (this.nextXid + n > 0xffffffff) this.nextXid = 1;
    const first = this.nextXid;
    this.nextXid = first + n >= 0xffffffff ? 1 : first + n;
    return first;
  }

  private count(msg: OfMessage): void {
    this.countType(msg.type, 1);
  }

  private countType(type: string, n: number): void {
    this.sentCounts.set(type, (this.sentCounts.get(type) ?? 0) + n);
  }

  private startKeepalive(): void {
    const tick = Math.max(50, Math.min(this.opts.echoIntervalMs, this.opts.deadAfterMs) / 2);
    this.keepalive = setInterval(() => this.checkAlive(), tick);
    this.keepalive.unref();
  }

  private checkAlive(): void {
    const idle = Date.now() - this.lastRx;
    if (idle >= this.opts.deadAfterMs) {
      this.close(`no message from the switch for ${idle} ms (dead peer)`);
    } else if (idle >= this.opts.echoIntervalMs && !this.echoInFlight) {
      // Any message refreshes lastRx; a lost echo is caught by deadAfterMs, so one in flight is enough.
      this.echoInFlight = true;
      this.requestFrames({ type: 'echo_request', data: new Uint8Array(0) }, this.opts.deadAfterMs)
        .catch(() => {})
        .finally(() => (this.echoInFlight = false));
    }
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.lastRx = Date.now();
    let frames: Uint8Array[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.close(`unframeable input: ${(err as Error).message}`);
      return;
    }
    for (const f of frames) {
      if (this.isClosed) return;
      try {
        this.onFrame(f);
      } catch (err) {
        // A message we cannot decode costs us that message, not the connection.
        this.log.warn({ err, type: f[1], xid: readXid(f) }, 'dropped an undecodable message');
      }
    }
  }

  private onFrame(f: Uint8Array): void {
    const type = f[1];
    const xid = readXid(f);
    if (this.state === 'hello') return this.onHello(f);
    switch (type) {
      case OfpType.ECHO_REQUEST:
        return this.replyEcho(f);
      case OfpType.ERROR:
        return this.onError(decodeMessage(f) as ErrorMsg);
      case OfpType.MULTIPART_REPLY:
        return this.onMultipartPart(f, xid);
      case OfpType.PORT_STATUS:
        return this.onPortStatus(decodeMessage(f));
      case OfpType.PACKET_IN:
        return this.packetIn$.next({ session: this, msg: decodeMessage(f) });
      case OfpType.FLOW_REMOVED:
        return this.flowRemoved$.next({ session: this, msg: decodeMessage(f) });
    }
    const p = this.pending.take(xid);
    if (p) return this.settleReply(p, [f]);
    const msg = decodeMessage(f);
    if (msg.type === 'nx_packet_in2') return this.packetIn$.next({ session: this, msg });
    this.log.debug({ type: msg.type, xid }, 'ignored unsolicited message');
  }

  private onHello(f: Uint8Array): void {
    const waiter = this.helloWaiter;
    if (f[1] !== OfpType.HELLO) {
      waiter?.reject(new Error(`expected HELLO first, got message type ${f[1]}`));
      return;
    }
    const hello = decodeMessage(f) as Hello;
    if (negotiateVersion(hello, [OFP13_VERSION]) !== OFP13_VERSION) {
      const why = `switch does not offer OpenFlow 1.3 (HELLO version ${hello.version})`;
      // OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE, then hang up, as OVS does towards an incompatible peer.
      this.send({ type: 'error', errType: 0, code: 0, data: new TextEncoder().encode('we speak OpenFlow 1.3 only') });
      this.close(why, true);
      waiter?.reject(new Error(why));
      return;
    }
    this.state = 'handshake';
    waiter?.resolve(hello);
  }

  private replyEcho(f: Uint8Array): void {
    // Echo the payload back as is: no decode needed on this hot keepalive path.
    this.out.push((w) => {
      const start = w.pos;
      w.bytes(f);
      w.buf[start + 1] = OfpType.ECHO_REPLY;
    });
  }

  private onError(err: ErrorMsg): void {
    const name = describeOfpError(err);
    const p = this.pending.take(err.xid);
    if (p) {
      // An answer to this request, error or not, proves the switch handled everything sent before it.
      this.pending.settleSilentBefore(p.seq);
      p.reject(new OfpErrorReply(name, err.errType, err.code, p.requestType, err.xid, this.name));
      return;
    }
    for (const b of this.bundleXids) {
      for (const block of b.blocks) {
        const i = err.xid - block.first;
        if (i >= 0 && i < block.msgs.length) {
          b.errors.push({ err, index: block.base + i, messageType: innerTypeName(block.msgs[i]) });
          return;
        }
      }
    }
    this.log.warn({ xid: err.xid, error: name }, 'switch reported an error for no pending request');
    this.error$.next({ session: this, error: err, name });
  }

  private onMultipartPart(f: Uint8Array, xid: number): void {
    const p = this.pending.get(xid);
    if (!p) {
      this.log.debug({ xid }, 'multipart reply for no pending request');
      return;
    }
    p.frames.push(f);
    p.bytes += f.length;
    if (p.bytes > this.opts.maxReplyBytes) {
      this.close(`multipart reply to xid ${xid} passed ${this.opts.maxReplyBytes} bytes`);
      return;
    }
    const flags = (f[10] << 8) | f[11];
    if (flags & OFPMPF_REPLY_MORE) {
      if (p.timeoutMs > 0) this.armTimeout(p, p.timeoutMs);
      return;
    }
    this.pending.take(xid);
    this.settleReply(p, p.frames);
  }

  private settleReply(p: PendingRequest, frames: Uint8Array[]): void {
    this.pending.settleSilentBefore(p.seq);
    p.resolve(frames);
  }

  private onPortStatus(msg: OfMessage): void {
    if (msg.type !== 'port_status') return;
    const change = PORT_CHANGES[msg.reason] ?? 'changed';
    if (change === 'removed') this.ports.delete(msg.port.portNo);
    else this.ports.set(msg.port.portNo, msg.port);
    this.log.debug({ port: msg.port.name, portNo: msg.port.portNo, change }, 'port status');
    this.ports$.next({ session: this, change, port: msg.port });
  }
}

/**
 * One ONF BUNDLE_ADD (OF1.3 experimenter message) around `m`, written in place. OVS requires the
 * bundled message to carry the BUNDLE_ADD's xid: an encoded message has its xid patched.
 */
function writeBundleAdd(w: Writer, m: BundleItem, bundleId: number, flags: number, xid: number, version: number): void {
  const start = w.pos;
  const inner = start + BUNDLE_ADD_HEADER_LEN;
  if (m instanceof Uint8Array) {
    if (m.length < 8 || m[0] !== version || ((m[2] << 8) | m[3]) !== m.length) {
      throw new EncodeError(`bundled message bytes are not one OpenFlow ${version} message (${m.length} bytes, header says version ${m[0]}, length ${(m[2] << 8) | m[3]})`);
    }
    w.ensure(BUNDLE_ADD_HEADER_LEN + m.length);
    w.buf.set(m, inner);
    w.pos = inner + m.length;
  } else {
    w.ensure(BUNDLE_ADD_HEADER_LEN);
    w.pos = inner;
    encodeMessage(w, { ...m, version, xid } as OfMessage);
  }
  const len = w.pos - start;
  if (len > 0xffff) {
    w.pos = start;
    throw new EncodeError(`bundled ${innerTypeName(m)} of ${len - BUNDLE_ADD_HEADER_LEN} bytes does not fit in a BUNDLE_ADD`);
  }
  const b = w.buf;
  b[start] = version;
  b[start + 1] = OfpType.EXPERIMENTER;
  b.writeUInt16BE(len, start + 2);
  b.writeUInt32BE(xid, start + 4);
  b.writeUInt32BE(ONF_VENDOR_ID, start + 8);
  b.writeUInt32BE(ONFT_BUNDLE_ADD_MESSAGE, start + 12);
  b.writeUInt32BE(bundleId, start + 16);
  b.writeUInt16BE(0, start + 20);
  b.writeUInt16BE(flags, start + 22);
  b.writeUInt32BE(xid, inner + 4);
}

function readXid(f: Uint8Array): number {
  return ((f[4] << 24) >>> 0) + ((f[5] << 16) | (f[6] << 8) | f[7]);
}

/** Marks a promise as handled now (it may reject while we still await other things), keeping its outcome. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** Like Promise.all but waits for every promise, then throws the first rejection in order. */
async function firstRejection(ps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(ps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

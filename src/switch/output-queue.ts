import { Writer } from '../openflow/bytes.js';

/** The part of a socket the queue needs (net.Socket and tls.TLSSocket both fit). */
export interface WritableSocket {
  write(buf: Uint8Array): boolean;
  readonly writableLength: number;
  once(event: 'drain', fn: () => void): unknown;
}

export interface OutputQueueOptions {
  /** Hand the batch to the socket as soon as it holds this many bytes, without waiting for setImmediate. */
  flushBytes: number;
  /** Bytes queued (ours + the socket's own buffer) above which the peer is declared too slow. */
  capBytes: number;
  /** `whenDrained()` resolves once the queue is back under this. */
  lowWaterBytes: number;
}

export const DEFAULT_OUTPUT_OPTIONS: OutputQueueOptions = {
  flushBytes: 64 * 1024,
  capBytes: 32 * 1024 * 1024,
  lowWaterBytes: 1024 * 1024,
};

/**
 * Coalesces messages into one Writer per batch and writes each batch with a single socket write,
 * on setImmediate or as soon as the batch is large. While the socket reports backpressure the batch
 * keeps growing, up to the cap; past it `onOverflow` runs (the session then drops the peer) so a
 * switch that stopped reading can never grow our memory without bound.
 */
export class OutputQueue {
  private batch: Writer;
  private blocked = false;
  private flushScheduled = false;
  private closed = false;
  private drainWaiters: Array<() => void> = [];
  /** Bytes handed to the socket since the start, for stats and tests. */
  bytesWritten = 0;
  /** Number of socket writes (each is one batch). */
  writes = 0;

  constructor(
    private readonly socket: WritableSocket,
    private readonly opts: OutputQueueOptions,
    private readonly onOverflow: (queuedBytes: number) => void,
  ) {
    this.batch = new Writer(Math.min(opts.flushBytes, 16 * 1024));
  }

  /** Bytes not yet on the wire: the current batch plus what the socket still buffers. */
  get queuedBytes(): number {
    return this.batch.pos + this.socket.writableLength;
  }

  /**
   * Appends one encoded message. `encode` writes it into the batch; if it throws (a message that
   * cannot be encoded) the partial bytes are dropped and the error propagates to the caller.
   */
  push(encode: (w: Writer) => void): void {
    if (this.closed) return;
    const start = this.batch.pos;
    try {
      encode(this.batch);
    } catch (err) {
      this.batch.pos = start;
      throw err;
    }
    if (this.queuedBytes > this.opts.capBytes) {
      this.close();
      this.onOverflow(start + this.socket.writableLength);
      return;
    }
    if (this.batch.pos >= this.opts.flushBytes) this.flush();
    else this.scheduleFlush();
  }

  /** Resolves when the queue is under the low-water mark (at once if it already is). */
  whenDrained(): Promise<void> {
    if (this.closed || this.queuedBytes <= this.opts.lowWaterBytes) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Writes the current batch now, ignoring backpressure (used right before a graceful close). */
  flushNow(): void {
    this.blocked = false;
    this.flush();
  }

  /** Drops whatever is queued; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.batch = new Writer(0);
    this.wakeDrainWaiters(true);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || this.blocked || this.batch.pos === 0) return;
    const out = this.batch.buf.subarray(0, this.batch.pos);
    // A fresh Writer per batch: the socket keeps a reference to `out` until it is sent.
    this.batch = new Writer(Math.min(this.opts.flushBytes, 16 * 1024));
    this.bytesWritten += out.length;
    this.writes++;
    if (!this.socket.write(out)) {
      this.blocked = true;
      this.socket.once('drain', () => {
        this.blocked = false;
        this.flush();
        this.wakeDrainWaiters(false);
      });
    } else {
      this.wakeDrainWaiters(false);
    }
  }

  private wakeDrainWaiters(force: boolean): void {
    if (!this.drainWaiters.length) return;
    if (!force && this.queuedBytes > this.opts.lowWaterBytes) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}

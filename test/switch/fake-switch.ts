import net from 'node:net';
import tls from 'node:tls';
import { Writer } from '../../src/openflow/bytes.js';
import { decodeMessage, encodeMessage, FrameDecoder, type FlowStats, type OfMessage, type OfPort } from '../../src/openflow/messages/index.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type FakeReply = DistributiveOmit<OfMessage, 'version' | 'xid'> & { version?: number; xid?: number };

export interface FakeSwitchOptions {
  dpDesc: string;
  datapathId?: bigint;
  ports?: OfPort[];
  /** HELLO header version and bitmap words. OVS 3.1 sends version 6 with OF1.0–1.5 in the bitmap. */
  helloVersion?: number;
  helloBitmap?: number;
  /** Flows returned by a FLOW multipart request, split into parts of this many entries (MORE flag). */
  flows?: FlowStats[];
  flowsPerPart?: number;
  /** Pre-encoded FLOW multipart reply frames (xid patched on send), for big tables. */
  flowReplyFrames?: Uint8Array[];
}

export function port(portNo: number, name: string): OfPort {
  return {
    portNo,
    hwAddr: 0x020000000000 + portNo,
    name,
    config: 0,
    state: 0,
    curr: 0,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 10_000_000,
    maxSpeed: 0,
  };
}

/**
 * A scripted OpenFlow switch over a real TCP socket: answers the handshake like OVS does, records
 * everything it receives, and lets a test override the answer to any message (`onMessage`).
 */
export class FakeSwitch {
  readonly received: OfMessage[] = [];
  /** Return undefined to fall back to the default answer, [] to stay silent. */
  onMessage: (msg: OfMessage) => FakeReply[] | undefined = () => undefined;
  private readonly frames = new FrameDecoder();
  private waiters: Array<() => void> = [];

  private constructor(
    readonly socket: net.Socket,
    readonly opts: FakeSwitchOptions,
  ) {
    socket.on('data', (chunk) => {
      for (const f of this.frames.push(chunk)) this.handle(decodeMessage(f));
    });
    socket.on('error', () => {});
  }

  /** Connects over TCP, or over TLS when `tlsOpts` is given. */
  static async connect(port: number, opts: FakeSwitchOptions, tlsOpts?: tls.ConnectionOptions): Promise<FakeSwitch> {
    const socket = tlsOpts ? tls.connect({ port, host: '127.0.0.1', ...tlsOpts }) : net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once(tlsOpts ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const sw = new FakeSwitch(socket, opts);
    // Like OVS: HELLO first, without waiting for the controller's.
    sw.send({
      type: 'hello',
      version: opts.helloVersion ?? 6,
      elements: [{ kind: 'versionbitmap', bitmaps: [opts.helloBitmap ?? 0b1111110] }],
    });
    return sw;
  }

  send(msg: FakeReply): void {
    const w = new Writer(256);
    encodeMessage(w, { version: 4, xid: 0, ...msg } as OfMessage);
    this.socket.write(w.copyFrom());
  }

  /** Resolves with the first received message matching `pred` (already received ones count). */
  async waitFor<T extends OfMessage['type']>(type: T, pred: (m: Extract<OfMessage, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<OfMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m): m is Extract<OfMessage, { type: T }> => m.type === type && pred(m as Extract<OfMessage, { type: T }>));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake switch: no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  count(type: OfMessage['type']): number {
    return this.received.filter((m) => m.type === type).length;
  }

  close(): void {
    this.socket.destroy();
  }

  closed(): Promise<void> {
    if (this.socket.destroyed || this.socket.readableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Sends already-encoded frames with their xid replaced, in one write. */
  sendFrames(frames: readonly Uint8Array[], xid: number): void {
    const out = Buffer.concat(frames);
    for (let p = 0; p < out.length; p += out.readUInt16BE(p + 2)) out.writeUInt32BE(xid, p + 4);
    this.socket.write(out);
  }

  private handle(msg: OfMessage): void {
    this.received.push(msg);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    const replies = this.onMessage(msg) ?? this.defaultReplies(msg);
    for (const r of replies) this.send({ xid: msg.xid, ...r });
  }

  private defaultReplies(msg: OfMessage): FakeReply[] {
    switch (msg.type) {
      case 'echo_request':
        return [{ type: 'echo_reply', data: msg.data }];
      case 'features_request':
        return [{ type: 'features_reply', datapathId: this.opts.datapathId ?? 0x1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 }];
      case 'barrier_request':
        return [{ type: 'barrier_reply' }];
      case 'role_request':
        return [{ type: 'role_reply', role: msg.role, generationId: msg.generationId }];
      case 'bundle_control':
        return [{ type: 'bundle_control', bundleId: msg.bundleId, ctrlType: msg.ctrlType + 1, flags: msg.flags, properties: new Uint8Array(0) }];
      case 'multipart_request':
        if (msg.body.kind === 'flow' && this.opts.flowReplyFrames) {
          this.sendFrames(this.opts.flowReplyFrames, msg.xid);
          return [];
        }
        return this.multipartReplies(msg.body.kind);
      default:
        return [];
    }
  }

  private multipartReplies(kind: string): FakeReply[] {
    if (kind === 'desc') {
      return [{ type: 'multipart_reply', flags: 0, body: { kind: 'desc', mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: this.opts.dpDesc } }];
    }
    if (kind === 'port_desc') return [{ type: 'multipart_reply', flags: 0, body: { kind: 'port_desc', ports: this.opts.ports ?? [] } }];
    if (kind === 'flow') {
      const flows = this.opts.flows ?? [];
      const per = this.opts.flowsPerPart ?? 1000;
      const parts: FakeReply[] = [];
      for (let i = 0; i === 0 || i < flows.length; i += per) {
        const more = i + per < flows.length;
        parts.push({ type: 'multipart_reply', flags: more ? 1 : 0, body: { kind: 'flow', flows: flows.slice(i, i + per) } });
      }
      return parts;
    }
    return [];
  }
}

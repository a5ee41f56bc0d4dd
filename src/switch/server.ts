import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { AsyncMessageEvent, PortEvent, UnsolicitedErrorEvent } from './events.js';
import { SwitchSession } from './session.js';
import { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './session-options.js';

export const DEFAULT_OPENFLOW_PORT = 6653;

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** When set, switches must present a certificate signed by this CA. */
  caFile?: string;
}

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port (tests); see `port` after `listen()`. */
  port?: number;
  tls?: TlsFiles;
  session?: Partial<SessionOptions>;
}

export interface SwitchDown {
  session: SwitchSession;
  reason: string;
}

/**
 * The OpenFlow listener. Each accepted connection becomes a SwitchSession; once its handshake
 * names the bridge (DESC dp_desc "<host> <bridge>", see identity.ts) it is published on `up$`.
 * Only one live connection per identity: a second claimant is refused and the first one kept.
 */
export class OpenFlowServer {
  readonly up$ = new Subject<SwitchSession>();
  readonly down$ = new Subject<SwitchDown>();
  readonly ports$ = new Subject<PortEvent>();
  readonly packetIn$ = new Subject<AsyncMessageEvent>();
  readonly flowRemoved$ = new Subject<AsyncMessageEvent>();
  readonly error$ = new Subject<UnsolicitedErrorEvent>();

  /** Ready sessions by identity key (`host/bridge`). */
  readonly switches = new Map<string, SwitchSession>();
  private readonly connections = new Set<SwitchSession>();
  private server: net.Server | undefined;
  private readonly sessionOpts: SessionOptions;
  private nextConnId = 1;

  constructor(
    private readonly log: Logger,
    private readonly opts: ServerOptions = {},
  ) {
    this.sessionOpts = { ...DEFAULT_SESSION_OPTIONS, ...opts.session };
  }

  get port(): number {
    const addr = this.server?.address();
    return addr && typeof addr === 'object' ? addr.port : (this.opts.port ?? DEFAULT_OPENFLOW_PORT);
  }

  async listen(): Promise<void> {
    const onConn = (socket: Duplex & { remoteAddress?: string; remotePort?: number }) => this.accept(socket);
    const t = this.opts.tls;
    this.server = t
      ? tls.createServer(
          {
            cert: readFileSync(t.certFile),
            key: readFileSync(t.keyFile),
            ...(t.caFile ? { ca: readFileSync(t.caFile), requestCert: true, rejectUnauthorized: true } : {}),
          },
          onConn,
        )
      : net.createServer(onConn);
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? DEFAULT_OPENFLOW_PORT, this.opts.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ err }, 'OpenFlow listener error'));
    server.on('tlsClientError', (err: Error, sock: tls.TLSSocket) =>
      this.log.warn({ err: err.message, peer: `${sock.remoteAddress}:${sock.remotePort}` }, 'TLS handshake with a switch failed'),
    );
    this.log.info({ host: this.opts.host ?? '0.0.0.0', port: this.port, tls: !!t }, 'OpenFlow server listening');
  }

  /** Stops listening and drops every switch. */
  async close(): Promise<void> {
    for (const s of this.connections) s.close('controller shutting down');
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of [this.up$, this.down$, this.ports$, this.packetIn$, this.flowRemoved$, this.error$]) s.complete();
  }

  private accept(socket: Duplex & { remoteAddress?: string; remotePort?: number; setNoDelay?: (b: boolean) => void }): void {
    socket.setNoDelay?.(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const session = new SwitchSession(socket, this.log.child({ conn: this.nextConnId++, peer }), this.sessionOpts);
    this.connections.add(session);
    session.log.debug('switch connected');
    session.closed$.subscribe((reason) => this.onClosed(session, reason));
    session
      .handshake()
      .then(() => this.register(session))
      .catch(() => {
        // The session already logged why it closed.
      });
  }

  private register(session: SwitchSession): void {
    if (session.isClosed) return;
    if (!session.identity) {
      session.log.warn(
        { dpDesc: session.dpDesc },
        'switch has no identity: set other-config:dp-desc="<host> <bridge>" on the bridge; refusing it',
      );
      session.close('no "<host> <bridge>" identity in dp_desc');
      return;
    }
    const key = session.identity.key;
    const holder = this.switches.get(key);
    if (holder && !holder.isClosed) {
      session.log.error({ identity: key }, `refusing connection: ${key} is already connected (dpid of the live one: ${holder.datapathId.toString(16)})`);
      session.close(`identity ${key} already connected`);
      return;
    }
    this.switches.set(key, session);
    session.ports$.subscribe((e) => this.ports$.next(e));
    session.packetIn$.subscribe((e) => this.packetIn$.next(e));
    session.flowRemoved$.subscribe((e) => this.flowRemoved$.next(e));
    session.error$.subscribe((e) => this.error$.next(e));
    this.up$.next(session);
  }

  private onClosed(session: SwitchSession, reason: string): void {
    this.connections.delete(session);
    const key = session.identity?.key;
    if (key && this.switches.get(key) === session) {
      this.switches.delete(key);
      this.down$.next({ session, reason });
    }
  }
}

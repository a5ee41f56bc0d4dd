import { rmSync } from 'node:fs';
import net from 'node:net';

/**
 * How a bridge inside a host netns reaches a controller listening in the ROOT netns:
 * the bridge's controller is `unix:<host run dir>/ctl-<port>.sock` (vswitchd only accepts unix
 * controllers inside its own run dir, notes gotcha 6), and this process listens on that socket and
 * pipes every connection to the controller's TCP address.
 *
 * Why this recipe (notes 0.4 C) and not a veth per host (B) or a setns() forwarder (D): unix sockets are
 * namespace-independent, so no interfaces, addresses or helper processes are needed, nothing can clash
 * between parallel labs, and the forwarder dies with the test process. The controller under test still
 * sees a plain TCP client on 127.0.0.1; dp-desc / datapath-id tell the switches apart.
 * If the controller is down, the unix connection is closed and OVS retries within max_backoff.
 */
export class ControllerForwarder {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly socketPath: string,
    readonly target: { host: string; port: number },
  ) {
    this.server = net.createServer((downstream) => this.forward(downstream));
  }

  static async listen(socketPath: string, target: { host: string; port: number }): Promise<ControllerForwarder> {
    rmSync(socketPath, { force: true }); // a leftover from a killed vswitchd run would make listen fail
    const fwd = new ControllerForwarder(socketPath, target);
    await new Promise<void>((resolve, reject) => {
      fwd.server.once('error', reject);
      fwd.server.listen(socketPath, () => resolve());
    });
    return fwd;
  }

  private forward(downstream: net.Socket): void {
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    upstream.setNoDelay(true);
    for (const s of [downstream, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    }
    // Either side failing or closing ends both: OVS then reconnects, which is what a real drop looks like.
    const closeBoth = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  }

  /** Drops every piped connection but keeps listening (the switches will reconnect). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }
}

/** Parses `tcp:HOST:PORT` (the form a controller is configured with). */
export function parseTcpTarget(target: string): { host: string; port: number } {
  const m = /^tcp:([^:]+|\[[^\]]+\]):(\d+)$/.exec(target);
  if (!m) throw new Error(`controller target "${target}" must look like tcp:127.0.0.1:6653`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

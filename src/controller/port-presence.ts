import type { Port } from '../store/types.js';
import { interfaceNameFor } from '../topology/model.js';
import type { LiveBridges } from './live-bridges.js';

/** Where a bound port is plugged. */
export interface Plug {
  host: string;
  iface: string;
  ofport: number;
  /** False when br-int of the host is not connected and the port counts as plugged on its stored status. */
  live: boolean;
}

/**
 * Stand-in ofports for ACTIVE ports of a host whose br-int has not connected since the controller started:
 * the port keeps its flows on the other hosts, and its own host's flows are recomputed with the real ofport
 * before that bridge is attached. Counted down from the highest valid port number (0xfeff; OVS numbers
 * ports upwards from 1), per host, so they never meet a real one in practice.
 */
const STAND_IN_TOP = 0xfeff;

export class PortPresence {
  private readonly standIns = new Map<string, Map<string, number>>();
  private readonly names = new WeakMap<Port, readonly [string, string]>();

  constructor(private readonly live: LiveBridges) {}

  /** The port's plug on its bound host, or undefined when it does not count as plugged. */
  locate(port: Port, hostKnown: (host: string) => boolean): Plug | undefined {
    const host = port['binding:host_id'];
    if (!host || !hostKnown(host)) return undefined;
    const live = this.live.knowsInterfaces(host);
    for (const iface of this.namesOf(port)) {
      const ofport = this.live.vmOfport(host, iface);
      if (ofport !== undefined) return { host, iface, ofport, live };
    }
    if (live || port.status !== 'ACTIVE') return undefined;
    return { host, iface: interfaceNameFor(port.id), ofport: this.standIn(host, port.id), live: false };
  }

  /** Its device names, tap… then qvo… (kept per document: every recompute of its network asks again). */
  private namesOf(port: Port): readonly [string, string] {
    let names = this.names.get(port);
    if (!names) this.names.set(port, (names = [interfaceNameFor(port.id, 'tap'), interfaceNameFor(port.id, 'qvo')]));
    return names;
  }

  private standIn(host: string, portId: string): number {
    let ofHost = this.standIns.get(host);
    if (!ofHost) this.standIns.set(host, (ofHost = new Map()));
    let n = ofHost.get(portId);
    if (n === undefined) ofHost.set(portId, (n = STAND_IN_TOP - ofHost.size));
    return n;
  }
}

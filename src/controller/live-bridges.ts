import type { OfPort } from '../openflow/messages/index.js';
import type { SwitchSession } from '../switch/session.js';
import { INTEGRATION_BRIDGE } from '../topology/model.js';

/** Highest physical port number (OFPP_MAX); above it are reserved ports such as LOCAL. */
const OFPP_MAX = 0xffffff00;

/** A VM device on br-int, in Neutron's naming (tap… or, with hybrid plugging, qvo…). */
export function isVmInterface(bridge: string, name: string): boolean {
  return bridge === INTEGRATION_BRIDGE && /^(tap|qvo)/.test(name);
}

/**
 * What the connected bridges report about their ports. Patch and tunnel ports ("infra") are remembered
 * after a bridge disconnects, so a flapping br-tun does not strip br-int of its uplink flows; VM
 * interfaces are known only while br-int is connected.
 */
export class LiveBridges {
  private readonly sessions = new Map<string, SwitchSession>();
  private readonly infra = new Map<string, Map<string, Record<string, number>>>();
  /** host -> VM interface -> ofport; the last known list stays after br-int disconnects. */
  private readonly vms = new Map<string, Map<string, number>>();
  private readonly liveInt = new Set<string>();

  /** Names of the host's connected bridges. */
  bridgesOf(host: string): string[] {
    return [...this.sessions.values()].filter((s) => s.identity!.host === host).map((s) => s.identity!.bridge);
  }

  up(session: SwitchSession): void {
    const { host, bridge, key } = session.identity!;
    this.sessions.set(key, session);
    const infra: Record<string, number> = {};
    if (bridge === INTEGRATION_BRIDGE) {
      this.vms.set(host, new Map());
      this.liveInt.add(host);
    }
    for (const p of session.ports.values()) this.record(host, bridge, p, infra);
    this.infraOf(host).set(bridge, infra);
  }

  down(session: SwitchSession): void {
    const { host, bridge, key } = session.identity!;
    if (this.sessions.get(key) !== session) return;
    this.sessions.delete(key);
    if (bridge === INTEGRATION_BRIDGE) this.liveInt.delete(host);
  }

  /** A port appeared, went or changed: which kind of interface changed its ofport, if any. */
  portChanged(session: SwitchSession, port: OfPort, removed: boolean): 'vm' | 'infra' | 'none' {
    const { host, bridge } = session.identity!;
    const vm = isVmInterface(bridge, port.name);
    const before = vm ? this.vms.get(host)?.get(port.name) : this.infraOf(host).get(bridge)?.[port.name];
    if (removed) {
      if (vm) this.vms.get(host)?.delete(port.name);
      else delete this.infraOf(host).get(bridge)?.[port.name];
    } else {
      const infra = this.infraOf(host).get(bridge) ?? {};
      this.infraOf(host).set(bridge, infra);
      this.record(host, bridge, port, infra);
    }
    const after = vm ? this.vms.get(host)?.get(port.name) : this.infraOf(host).get(bridge)?.[port.name];
    if (before === after) return 'none';
    return vm ? 'vm' : 'infra';
  }

  /** Whether br-int of the host is connected, i.e. its VM interface list is current. */
  knowsInterfaces(host: string): boolean {
    return this.liveInt.has(host);
  }

  /** Current ofport of a VM interface, or the last one known while br-int is disconnected. */
  vmOfport(host: string, iface: string): number | undefined {
    return this.vms.get(host)?.get(iface);
  }

  /** bridge -> interface -> ofport of the host's patch and tunnel ports. */
  infraOfports(host: string): Record<string, Record<string, number>> {
    return Object.fromEntries(this.infraOf(host));
  }

  private record(host: string, bridge: string, p: OfPort, infra: Record<string, number>): void {
    if (p.portNo > OFPP_MAX) return;
    if (isVmInterface(bridge, p.name)) this.vms.get(host)?.set(p.name, p.portNo);
    else infra[p.name] = p.portNo;
  }

  private infraOf(host: string): Map<string, Record<string, number>> {
    let m = this.infra.get(host);
    if (!m) this.infra.set(host, (m = new Map()));
    return m;
  }
}

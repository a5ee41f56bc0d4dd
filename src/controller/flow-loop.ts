import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { Reconciler, ReconcileResult } from '../reconciler/reconciler.js';
import type { Store } from '../store/store.js';
import type { Change, Port } from '../store/types.js';
import type { OpenFlowServer } from '../switch/server.js';
import type { PortEvent } from '../switch/events.js';
import type { SwitchSession } from '../switch/session.js';
import { createSnapshot, type HostInfo, type PortInfo } from '../topology/model.js';
import { BASE_PARTITION, FlowPartitions } from './flow-partitions.js';
import { NetworkFlows } from './network-flows.js';
import { LiveBridges } from './live-bridges.js';
import { LocalVlanBook } from './local-vlan-book.js';
import { PortPresence, type Plug } from './port-presence.js';
import { hostInfo, networkInfo, portInfo } from './snapshot-mapper.js';
import { TopologyMirror, type Touched } from './topology-mirror.js';

/** Per-bridge counters, for `/v1/switches` and the tests. */
export interface BridgeCounters {
  flowMods: number;
  reconciles: number;
  last?: ReconcileResult;
}

/** Work on some hosts: `compute(host)` updates that host's partitions and returns the bridges that changed. */
interface Job {
  hosts: ReadonlySet<string>;
  compute(host: string): string[];
  /** The network it computes; none for the base partition. */
  networkId?: string;
}

/** After a failed computation, how long until it is tried again. */
const RETRY_MS = 1000;

/** Recomputes shorter than this never delay the next one. */
const BURST_MS = 5;
/** Longest wait between two recomputes of a burst (bounds how late the last change of a burst lands). */
const MAX_BURST_DELAY_MS = 250;
/**
 * A burst's wait ends early once no change came for this long, and for at least as long as the last
 * recompute took: the burst is over, so its last changes are computed now instead of up to
 * MAX_BURST_DELAY_MS later. (A client stalling mid-burst rarely pauses that long.)
 */
const QUIET_MS = 25;

/**
 * VM interface events seen before a recompute could start, from which a batch of plugs is under way: one
 * ovs-vsctl transaction adding many VIFs reports them over tens of ms, and a recompute started on the
 * first few would compute every network twice and hold the rest of the events in the socket meanwhile.
 * Such a batch is computed once its events went quiet (QUIET_MS, at most MAX_BURST_DELAY_MS after the
 * first); a lone plug (or a few) is computed at once.
 */
const PLUG_BATCH = 8;

/** How long the other hosts wait for the flows of the hosts whose ports changed. */
const URGENT_WAIT_MS = 50;

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The controller loop: store changes and switch/port events mark networks or hosts dirty; once per
 * event-loop turn the dirty partitions are recomputed (hosts of the ports that changed first), and
 * only bridges whose flows changed get a new desired set. A bridge that connects is attached to the
 * reconciler only after its host's flows were computed from the store with its live ports, so a
 * reconnect that changes nothing sends nothing.
 */
export class FlowLoop {
  readonly reconciled$ = new Subject<ReconcileResult>();
  /** Bridges handed to the reconciler (the audit follows them until their session closes). */
  readonly attached$ = new Subject<SwitchSession>();
  readonly counters = new Map<string, BridgeCounters>();
  /** Recomputations so far and the time they spent computing. */
  readonly stats = { recomputes: 0, recomputeMs: 0 };
  readonly mirror: TopologyMirror;
  readonly live = new LiveBridges();
  private readonly partitions = new FlowPartitions();
  private readonly networkFlows = new NetworkFlows(this.partitions);
  private readonly presence = new PortPresence(this.live);
  private readonly vlans: LocalVlanBook;
  private readonly pendingAttach = new Map<string, SwitchSession>();
  private readonly attached = new Set<SwitchSession>();
  private readonly graceOver = new Set<string>();
  /** Hosts whose flows could not all be computed in the current recompute: not attached. */
  private readonly tainted = new Set<string>();
  private dirty: Touched = { networks: new Set(), all: true };
  private dirtyHosts = new Set<string>();
  private urgentHosts = new Set<string>();
  private scheduled = false;
  /** During a burst the next recompute waits 4x as long as the last one took (≤ 250 ms): the API and switches keep most of the CPU. */
  private busyUntil = 0;
  /** When the last change that moves flows came (store change, VM port), and how long the last recompute took. */
  private lastChangeAt = 0;
  private lastTook = 0;
  /** VM interface events since the last recompute started, and when the first of them came. */
  private plugEvents = 0;
  private firstPlugAt = 0;
  private running = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private plugged = new Map<string, Plug>();
  private readonly portInfos = new WeakMap<Port, PortInfo>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    server: OpenFlowServer,
    private readonly reconciler: Reconciler,
    private readonly log: Logger,
    /** How long a connected bridge may wait for its host's other bridges; 0 waits for them forever. */
    private readonly attachGraceMs: number,
  ) {
    this.mirror = new TopologyMirror(store);
    // Retries run inside the reconciler: count their flow-mods like every other push.
    reconciler.retried$.subscribe((r) => this.record(r));
    this.vlans = new LocalVlanBook(store.localVlans);
    store.changes.subscribe((c) => this.onChange(c));
    server.up$.subscribe((s) => this.onUp(s));
    server.down$.subscribe(({ session }) => this.onDown(session));
    server.ports$.subscribe((e) => this.onPort(e));
    this.schedule();
  }

  /** Ports that count as plugged now (ACTIVE), by id. */
  get pluggedPorts(): ReadonlyMap<string, Plug> {
    return this.plugged;
  }

  isAttached(session: SwitchSession): boolean {
    return this.attached.has(session);
  }

  /** Resolves once no recompute is due or running and every push and attach has been answered. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
  }

  private isIdle(): boolean {
    return !this.scheduled && !this.running && this.inFlight === 0;
  }

  private onChange(c: Change): void {
    if (c.kind === 'port' && !c.after) this.plugged.delete(c.id);
    const touched: Touched = { networks: new Set(), all: false };
    if (!this.mirror.apply(c, touched)) return;
    // A new port whose interface is nowhere yet moves no flow and no status: the event of its interface
    // appearing will (in a burst of creates, this spares a recompute of its network per request).
    if (c.kind === 'port' && !c.before && c.after && !this.presence.locate(c.after, (h) => this.mirror.hosts.has(h))) return;
    if (touched.all) this.dirty.all = true;
    for (const id of touched.networks) this.dirty.networks.add(id);
    // Hosts were added, removed or changed: the store may have dropped their local VLAN rows.
    if (c.kind === 'host') this.vlans.forget();
    if (c.kind === 'port') for (const p of [c.before, c.after]) if (p?.['binding:host_id']) this.urgentHosts.add(p['binding:host_id']);
    this.lastChangeAt = performance.now();
    this.schedule();
  }

  private onUp(session: SwitchSession): void {
    const host = session.identity!.host;
    this.live.up(session);
    this.pendingAttach.set(session.identity!.key, session);
    this.dirtyHosts.add(host);
    if (this.attachGraceMs > 0) {
      setTimeout(() => {
        this.graceOver.add(host);
        this.schedule();
      }, this.attachGraceMs).unref();
    }
    this.schedule();
  }

  private onDown(session: SwitchSession): void {
    this.live.down(session);
    this.attached.delete(session);
    if (this.pendingAttach.get(session.identity!.key) === session) this.pendingAttach.delete(session.identity!.key);
    this.graceOver.delete(session.identity!.host);
  }

  private onPort(e: PortEvent): void {
    const kind = this.live.portChanged(e.session, e.port, e.change === 'removed');
    const host = e.session.identity!.host;
    if (kind === 'infra') this.dirtyHosts.add(host);
    if (kind === 'vm') {
      const port = this.mirror.portOfInterface(e.port.name);
      if (!port) return;
      if (this.plugEvents++ === 0) this.firstPlugAt = performance.now();
      this.dirty.networks.add(port.network_id);
      this.urgentHosts.add(host);
    }
    if (kind === 'none') return;
    this.lastChangeAt = performance.now();
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.arm();
  }

  /** Runs the scheduled recompute once the burst's wait is over or the changes went quiet, whichever comes first. */
  private arm(): void {
    const now = performance.now();
    const wait = Math.max(Math.min(this.busyUntil - now, this.lastChangeAt + Math.max(QUIET_MS, this.lastTook) - now), this.plugBatchWait(now));
    if (wait > 0) setTimeout(() => this.arm(), wait);
    else setImmediate(() => void this.run());
  }

  /** How much longer a batch of plugs has to go quiet (≤ 0: none under way, or it is over). */
  private plugBatchWait(now: number): number {
    if (this.plugEvents < PLUG_BATCH) return 0;
    return Math.min(this.lastChangeAt + QUIET_MS, this.firstPlugAt + MAX_BURST_DELAY_MS) - now;
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    if (this.running || this.stopped) return;
    // The events read in the same turn as the first plug are in now: a batch of them waits for the rest.
    if (this.plugBatchWait(performance.now()) > 0) {
      this.scheduled = true;
      this.arm();
      return;
    }
    this.running = true;
    try {
      const took = await this.recompute();
      this.stats.recomputes++;
      this.stats.recomputeMs += took;
      this.lastTook = took;
      // A cheap recompute never delays the next one; an expensive one (a burst) makes room for I/O.
      this.busyUntil = took > BURST_MS ? performance.now() + Math.min(4 * took, MAX_BURST_DELAY_MS) : 0;
    } catch (err) {
      this.log.error({ err }, 'recomputing flows failed');
    } finally {
      this.running = false;
      if (this.dirty.all || this.dirty.networks.size || this.dirtyHosts.size) this.schedule();
      this.settleIdle();
    }
  }

  /** One recomputation; resolves with the time spent computing (not waiting for switches). */
  private async recompute(): Promise<number> {
    let started = performance.now();
    let computing = 0;
    const { all, networks } = this.dirty;
    const dirtyHosts = this.dirtyHosts;
    const urgent = this.urgentHosts;
    const attachable = [...this.pendingAttach.values()];
    this.dirty = { networks: new Set(), all: false };
    this.dirtyHosts = new Set();
    this.urgentHosts = new Set();
    this.plugEvents = 0;

    this.tainted.clear();
    const hostInfos = this.hostInfos();
    const jobs = this.jobs(all, networks, dirtyHosts, hostInfos);
    // The hosts whose ports changed get their flows before the others are computed (a VM waits on them);
    // the wait is bounded, so a slow switch does not hold the rest back. Between hosts, I/O (API, switches) runs.
    const first: Promise<unknown>[] = [];
    for (const host of urgent) {
      const pushed = this.computeHost(host, jobs);
      if (!pushed.length) continue;
      first.push(...pushed);
      computing += performance.now() - started;
      await yieldToIo();
      started = performance.now();
    }
    if (first.length) {
      computing += performance.now() - started;
      await Promise.race([Promise.allSettled(first), delay(URGENT_WAIT_MS)]);
      started = performance.now();
    }
    for (const host of new Set(jobs.flatMap((j) => [...j.hosts]))) {
      if (urgent.has(host) || !this.computeHost(host, jobs).length) continue;
      computing += performance.now() - started;
      await yieldToIo();
      started = performance.now();
    }
    for (const session of attachable) this.maybeAttach(session);
    return computing + performance.now() - started;
  }

  /** Recomputes the jobs' partitions on one host and pushes the bridges that changed. */
  private computeHost(host: string, jobs: Job[]): Promise<unknown>[] {
    const changed = new Set<string>();
    for (const job of jobs) {
      if (!job.hosts.has(host)) continue;
      try {
        for (const bridge of job.compute(host)) changed.add(bridge);
      } catch (err) {
        this.failed(err, job.networkId, [host]);
      }
    }
    return [...changed].map((bridge) => this.push(host, bridge));
  }

  /**
   * A computation threw (a bug, or data the apps refuse): the other networks and hosts go on, the hosts
   * involved are not attached (attaching with incomplete flows would delete good ones), and it is retried.
   */
  private failed(err: unknown, networkId: string | undefined, hosts: Iterable<string>): void {
    this.log.error({ err, network: networkId, hosts: [...hosts] }, 'computing flows failed; retrying');
    for (const h of hosts) this.tainted.add(h);
    if (networkId) this.networkFlows.forget(networkId);
    setTimeout(() => {
      if (networkId) this.dirty.networks.add(networkId);
      else for (const h of hosts) this.dirtyHosts.add(h);
      this.schedule();
    }, RETRY_MS).unref();
  }

  /** The partitions to recompute: dirty networks (with their plugged ports) and the base one. */
  private jobs(all: boolean, networks: Set<string>, dirtyHosts: Set<string>, hostInfos: Map<string, HostInfo>): Job[] {
    // A host whose bridges changed needs its networks recomputed even if their ports did not change.
    const forced = new Set(all ? [...this.mirror.networks.keys(), ...this.networkFlows.known()] : []);
    for (const host of dirtyHosts) {
      for (const id of this.networkFlows.networksOn(host)) forced.add(id);
      for (const p of this.mirror.ports.values()) if (p['binding:host_id'] === host) forced.add(p.network_id);
    }
    const statuses: Array<[Port, 'ACTIVE' | 'DOWN']> = [];
    const jobs: Job[] = [];
    for (const id of new Set([...forced, ...networks])) {
      try {
        const job = this.networkJob(id, hostInfos, statuses, forced.has(id));
        if (job) jobs.push({ ...job, networkId: id });
      } catch (err) {
        const bound = [...this.mirror.portsOf(id)].map((p) => this.mirror.ports.get(p)!['binding:host_id']).filter(Boolean);
        this.failed(err, id, new Set([...this.networkFlows.hostsOf(id), ...bound]));
      }
    }
    const baseHosts = all ? new Set([...hostInfos.keys(), ...this.partitions.hostsOf(BASE_PARTITION)]) : dirtyHosts;
    if (baseHosts.size) {
      const snap = createSnapshot({ hosts: [...hostInfos.values()], networks: [], ports: [], localVlans: [] });
      jobs.unshift({ hosts: baseHosts, compute: (host) => this.partitions.update(BASE_PARTITION, host, snap) });
    }
    this.writeStatuses(statuses);
    return jobs;
  }

  /**
   * Locates the network's ports, keeps local VLANs and port status in step, builds its snapshot.
   * Undefined when nothing the flows depend on changed (e.g. a port was created but is not plugged yet).
   */
  private networkJob(id: string, hostInfos: Map<string, HostInfo>, statuses: Array<[Port, 'ACTIVE' | 'DOWN']>, forced: boolean): Job | undefined {
    const network = this.mirror.networks.get(id);
    const ports: PortInfo[] = [];
    const hostsWithIt = new Set<string>();
    for (const portId of this.mirror.portsOf(id)) {
      const port = this.mirror.ports.get(portId)!;
      const plug = network && this.presence.locate(port, (h) => hostInfos.has(h));
      if (plug) {
        this.plugged.set(port.id, plug);
        hostsWithIt.add(plug.host);
        ports.push(this.infoOf(port, plug));
      } else {
        this.plugged.delete(port.id);
      }
      // Decided only where it is known: on a host whose br-int is connected, or for an unbound port.
      const host = port['binding:host_id'];
      if (!host || !hostInfos.has(host) || this.live.knowsInterfaces(host)) {
        const want = plug ? 'ACTIVE' : 'DOWN';
        if (port.status !== want && (want === 'ACTIVE' || port.status === 'ACTIVE')) statuses.push([port, want]);
      }
    }
    const hosts = new Set([...hostsWithIt, ...this.networkFlows.hostsOf(id)]);
    this.vlans.releaseExcept(id, hostsWithIt, new Set([...hosts, ...this.mirror.hosts.keys()]));
    const vlans = new Map([...hostsWithIt].map((host) => [host, this.vlans.ensure(host, id)]));
    return this.networkFlows.plan({ networkId: id, network: network && networkInfo(network), ports, hostInfos, vlans, forced });
  }

  /**
   * The port's PortInfo, the same object as last time while nothing it holds changed, so what is derived
   * from it (network-flows.ts: its print) is not derived again on every recompute of its network.
   */
  private infoOf(port: Port, plug: Plug): PortInfo {
    const dhcp = this.mirror.dhcpAddress(port) !== undefined;
    const known = this.portInfos.get(port);
    if (known?.host === plug.host && known.interfaceName === plug.iface && known.ofport === plug.ofport && (known.dhcp ?? false) === dhcp) return known;
    const info = portInfo(port, plug.host, plug.iface, plug.ofport, dhcp);
    this.portInfos.set(port, info);
    return info;
  }

  /**
   * Hosts the apps can program: registered with a tunnel IP (VTEP filter and flood lists need one) that no
   * other host claims, so one misregistered host cannot stop the whole computation.
   */
  private hostInfos(): Map<string, HostInfo> {
    const m = new Map<string, HostInfo>();
    const byIp = new Map<string, string[]>();
    for (const h of this.mirror.hosts.values()) if (h.tunnel_ip) byIp.set(h.tunnel_ip, [...(byIp.get(h.tunnel_ip) ?? []), h.name]);
    for (const h of this.mirror.hosts.values()) {
      if (!h.tunnel_ip) continue;
      const sharing = byIp.get(h.tunnel_ip)!;
      if (sharing.length > 1) this.log.error({ hosts: sharing, tunnelIp: h.tunnel_ip }, 'hosts share a tunnel IP: not programming them');
      else m.set(h.name, hostInfo(h, this.live.infraOfports(h.name)));
    }
    return m;
  }

  private writeStatuses(statuses: Array<[Port, 'ACTIVE' | 'DOWN']>): void {
    if (!statuses.length) return;
    try {
      this.store.transaction(() => {
        for (const [port, status] of statuses) this.store.ports.setStatus(port.id, status);
      });
    } catch (err) {
      this.log.warn({ err }, 'could not update port status');
    }
  }

  private push(host: string, bridge: string): Promise<unknown> {
    const key = `${host}/${bridge}`;
    return this.track(key, this.reconciler.setDesired(key, this.partitions.merged(host, bridge)));
  }

  /** Attaches a connected bridge once its host's flows are computed with all its bridges known. */
  private maybeAttach(session: SwitchSession): void {
    const { key, host } = session.identity!;
    if (this.pendingAttach.get(key) !== session || session.isClosed || this.tainted.has(host)) return;
    const h = this.mirror.hosts.get(host);
    const expected = h?.tunnel_ip ? ['br-int', 'br-tun', ...Object.values(h.bridge_mappings)] : [];
    const up = new Set(this.live.bridgesOf(host));
    if (!this.graceOver.has(host) && !expected.every((b) => up.has(b))) return;
    this.pendingAttach.delete(key);
    this.attached.add(session);
    this.track(key, this.reconciler.attach(session));
    this.attached$.next(session);
  }

  /** Counts a reconcile of a bridge in `counters` and emits it on `reconciled$`. */
  record(r: ReconcileResult): void {
    const c = this.counters.get(r.bridge) ?? { flowMods: 0, reconciles: 0 };
    c.flowMods += r.flowMods;
    c.reconciles++;
    c.last = r;
    this.counters.set(r.bridge, c);
    this.reconciled$.next(r);
  }

  private track(key: string, p: Promise<ReconcileResult | undefined>): Promise<unknown> {
    this.inFlight++;
    return p.then(
      (r) => {
        if (r) this.record(r);
      },
      // The reconciler logs every failure once (and retries it).
      (err: unknown) => this.log.debug({ err, bridge: key }, 'pushing flows failed'),
    ).finally(() => {
      this.inFlight--;
      this.settleIdle();
    });
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}


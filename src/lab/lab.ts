import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './command.js';
import { cleanupStale, labRunDir, ownerRecord, registerActiveLab, teardownLabSync, unregisterActiveLab } from './cleanup.js';
import { ControllerForwarder, parseTcpTarget } from './controller-forwarder.js';
import { startCapture, type Capture, type CaptureOptions } from './capture.js';
import { LabHost, type DatapathType } from './host.js';
import { makeLabId, netnsName } from './naming.js';
import { createNetns } from './netns.js';
import { killPidsSync, pidsInNetns } from './processes.js';
import { assertLabPrerequisites } from './prerequisites.js';
import { bridgeSetupArgs } from './bridge-setup.js';
import { UNDERLAY_PREFIX_LEN, hostBridges, tunnelIp } from './topology.js';
import {
  EXTERNAL_LINUX_BRIDGE,
  UNDERLAY_LINUX_BRIDGE,
  cableHost,
  configureTunnelEndpoint,
  createExternalHost,
  createUnderlaySwitch,
  dummyCablePorts,
  type ExternalHostOptions,
} from './underlay.js';
import type { NetnsMachine } from './machine.js';
import { createVm, type LabVm, type VmOptions } from './vm.js';

export interface LabOptions {
  /** Short [a-z][a-z0-9]* name, part of every namespace name of this lab. */
  name: string;
  /** Host names ([a-z][a-z0-9]*, at most 8 chars), e.g. ['h1', 'h2', 'h3']. */
  hosts: string[];
  /** When set, every secure bridge is pointed at this root-netns controller before any flow exists. */
  controller?: { port: number; host?: string } | null;
  /** 'netdev' (default): userspace datapath with real kernel devices; 'dummy': hermetic, no devices. */
  datapath?: DatapathType;
  /** Extra provider bridges (e.g. ['br-eth1']), each patched to br-int and cabled to a shared segment. */
  providerBridges?: string[];
}

export interface ControllerOptions {
  /** Reconnect backoff cap (default 1000 ms, so a late controller is found within ~2 s). */
  maxBackoffMs?: number;
  /** Echo interval when idle (OVS clamps it to >= 5000 ms, gotcha 7); default OVS's own. */
  inactivityProbeMs?: number;
}

export interface DummyPort {
  name: string;
  ofport: number;
  /** pcap files OVS writes for what leaves / enters the port. */
  txPcap: string;
  rxPcap: string;
}

export interface UnderlayInfo {
  netns: string | undefined;
  /** Linux bridge of the tunnel network, and of the external network (br-ex uplinks). */
  linuxBridge: string;
  externalLinuxBridge: string;
  subnet: string;
  /** The host's cable in the underlay netns, e.g. 'ul-h1'. */
  hostPort(host: string): string;
}

/** A multi-host OVS lab on one machine. See src/lab/README.md for the topology. */
export class Lab {
  readonly hosts: readonly LabHost[];
  private readonly vms = new Map<string, LabVm>();
  private readonly forwarders = new Map<string, ControllerForwarder>();
  private stopped = false;

  private constructor(
    readonly id: string,
    readonly runDir: string,
    readonly datapath: DatapathType,
    hosts: LabHost[],
    private readonly underlayNetns: string | undefined,
  ) {
    this.hosts = hosts;
  }

  static async start(opts: LabOptions): Promise<Lab> {
    assertLabPrerequisites();
    if (opts.hosts.length === 0) throw new Error('a lab needs at least one host');
    for (const h of opts.hosts) {
      if (!/^[a-z][a-z0-9]{0,7}$/.test(h)) throw new Error(`host name "${h}" must match /^[a-z][a-z0-9]{0,7}$/`);
    }
    if (new Set(opts.hosts).size !== opts.hosts.length) throw new Error('host names must be unique');
    cleanupStale();
    const datapath = opts.datapath ?? 'netdev';
    const id = makeLabId(opts.name);
    const runDir = labRunDir(id);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'owner'), ownerRecord());
    // Registered before anything exists, so a failure or a signal half-way still removes it all.
    registerActiveLab(id, () => teardownLabSync(id));
    const providers = opts.providerBridges ?? [];
    const hosts = opts.hosts.map(
      (name, i) =>
        new LabHost({
          name,
          index: i + 1,
          netns: netnsName(id, name),
          runDir: join(runDir, name),
          datapath,
          bridges: hostBridges(name, i + 1, providers),
        }),
    );
    const underlayNetns = datapath === 'netdev' ? netnsName(id, 'underlay') : undefined;
    const lab = new Lab(id, runDir, datapath, hosts, underlayNetns);
    try {
      if (underlayNetns) await createUnderlaySwitch(underlayNetns, providers.length);
      await Promise.all(hosts.map((h) => lab.bootHost(h, providers)));
      await Promise.all(hosts.map((h) => configureTunnelEndpoint(h, hosts)));
      if (opts.controller) {
        const target = `tcp:${opts.controller.host ?? '127.0.0.1'}:${opts.controller.port}`;
        for (const h of hosts) {
          for (const b of h.bridges.filter((x) => x.failMode === 'secure')) await lab.pointAtController(h.name, b.name, target);
        }
      }
    } catch (err) {
      await lab.stop().catch(() => undefined);
      throw err;
    }
    return lab;
  }

  host(name: string): LabHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`lab ${this.id} has no host ${name}`);
    return h;
  }

  /**
   * The "physical" network: for netdev a Linux bridge in its own netns; `hostPort(h)` is the host's cable
   * there (capture on it to see the VXLAN traffic). The dummy datapath has no kernel underlay (netns undefined).
   */
  get underlay(): UnderlayInfo {
    return {
      netns: this.underlayNetns,
      linuxBridge: UNDERLAY_LINUX_BRIDGE,
      externalLinuxBridge: EXTERNAL_LINUX_BRIDGE,
      subnet: `192.0.2.0/${UNDERLAY_PREFIX_LEN}`,
      hostPort: (host: string) => `ul-${this.host(host).name}`,
    };
  }

  /** Tunnel (VTEP) address of a host on the underlay 192.0.2.0/24. */
  tunnelIp(host: string): string {
    return tunnelIp(this.host(host).index);
  }

  async addVm(host: string, opts: VmOptions): Promise<LabVm> {
    const h = this.host(host);
    if (h.datapath !== 'netdev') throw new Error('VMs need kernel devices: use datapath netdev (or addDummyPort)');
    if (!/^[a-z][a-z0-9]{0,15}$/.test(opts.name)) throw new Error(`VM name "${opts.name}" must match /^[a-z][a-z0-9]{0,15}$/`);
    if (this.vms.has(opts.name)) throw new Error(`VM ${opts.name} already exists`);
    const vm = await createVm(h, netnsName(this.id, `vm-${opts.name}`), opts);
    this.vms.set(opts.name, vm);
    return vm;
  }

  /**
   * A machine on the external network (the segment every br-ex is cabled to), e.g. an internet host
   * behind the floating IPs. Plain veth into the segment, no OVS involved. MTU defaults to 1500.
   */
  async addExternalHost(opts: ExternalHostOptions): Promise<NetnsMachine> {
    if (!this.underlayNetns) throw new Error('external hosts need datapath netdev');
    return createExternalHost(this.underlayNetns, netnsName(this.id, `ext-${opts.name}`), opts);
  }

  vm(name: string): LabVm {
    const vm = this.vms.get(name);
    if (!vm) throw new Error(`lab ${this.id} has no VM ${name}`);
    return vm;
  }

  /** Unplugs a VM (del-port), kills what runs in it, deletes its veth pair and namespace. */
  async removeVm(name: string): Promise<void> {
    const vm = this.vm(name);
    await vm.host.vsctl('--if-exists', 'del-port', vm.iface);
    // A process left inside would keep the netns (and the veth) alive after `ip netns del`.
    killPidsSync(pidsInNetns([vm.netns]));
    // Deleting the tap directly is synchronous; a netns deletion frees its veths only later (gotcha 19).
    await run(['ip', '-n', vm.host.netns, 'link', 'del', vm.iface]);
    await run(['ip', 'netns', 'del', vm.netns]);
    this.vms.delete(name);
  }

  /** A port without kernel device on a dummy-datapath host; inject with `netdev-dummy/receive <name> ...`. */
  async addDummyPort(host: string, bridge: string, name: string, ofportRequest?: number): Promise<DummyPort> {
    const h = this.host(host);
    if (h.datapath !== 'dummy') throw new Error('addDummyPort needs datapath dummy');
    const txPcap = join(h.runDir, `${name}-tx.pcap`);
    const rxPcap = join(h.runDir, `${name}-rx.pcap`);
    const req = ofportRequest === undefined ? [] : [`ofport_request=${ofportRequest}`];
    await h.vsctl('add-port', bridge, name, '--', 'set', 'interface', name, 'type=dummy', ...req,
      `options:tx_pcap=${txPcap}`, `options:rxq_pcap=${rxPcap}`);
    const ofport = Number((await h.vsctl('get', 'interface', name, 'ofport')).trim());
    return { name, ofport, txPcap, rxPcap };
  }

  /**
   * Points a bridge at a controller in the root netns, e.g. 'tcp:127.0.0.1:6653', through a unix
   * socket in the host's run dir forwarded by this process (see controller-forwarder.ts for why).
   * Attaching the first controller FLUSHES the bridge's flows (gotcha 5): do it before adding flows.
   */
  async pointAtController(host: string, bridge: string, target: string, opts: ControllerOptions = {}): Promise<string> {
    const h = this.host(host);
    h.bridge(bridge);
    const unixTarget = await this.controllerTarget(host, target);
    const probe = opts.inactivityProbeMs === undefined ? [] : [`inactivity_probe=${opts.inactivityProbeMs}`];
    await h.vsctl('set-controller', bridge, unixTarget,
      '--', 'set', 'controller', bridge, 'connection-mode=out-of-band', `max_backoff=${opts.maxBackoffMs ?? 1000}`, ...probe);
    return unixTarget;
  }

  /**
   * The controller target a bridge on `host` must be given to reach `target` (a root-namespace
   * `tcp:IP:PORT`): a `unix:` socket in the host's run dir, forwarded by this process. For tools that
   * set the controller themselves (`neutrino join`); the lab closes the forwarder on stop().
   */
  async controllerTarget(host: string, target: string): Promise<string> {
    const h = this.host(host);
    const tcp = parseTcpTarget(target);
    const key = `${host} ${tcp.host}:${tcp.port}`;
    let fwd = this.forwarders.get(key);
    if (!fwd) {
      fwd = await ControllerForwarder.listen(join(h.runDir, `ctl-${tcp.port}.sock`), tcp);
      this.forwarders.set(key, fwd);
    }
    return `unix:${fwd.socketPath}`;
  }

  /** Removes the bridge's controller (this too flushes its flows). */
  async detachController(host: string, bridge: string): Promise<void> {
    await this.host(host).vsctl('del-controller', bridge);
  }

  /** Closes every forwarded controller connection of a host; OVS reconnects after its backoff. */
  dropControllerConnections(host: string): void {
    for (const [key, fwd] of this.forwarders) if (key.startsWith(`${host} `)) fwd.dropConnections();
  }

  /** Crash: SIGKILL the host's vswitchd. */
  async killVswitchd(host: string): Promise<void> {
    await this.host(host).killVswitchd();
  }

  /** Starts a killed vswitchd again and restores the tunnel endpoint. Flows are gone; config and controllers stay. */
  async startVswitchd(host: string): Promise<void> {
    const h = this.host(host);
    await h.startVswitchd();
    await configureTunnelEndpoint(h, this.hosts);
  }

  async restartVswitchd(host: string): Promise<void> {
    await this.killVswitchd(host);
    await this.startVswitchd(host);
  }

  /** tcpdump in a namespace (a host, a VM or the underlay); resolves once it really captures. */
  capture(opts: CaptureOptions): Promise<Capture> {
    return startCapture(opts);
  }

  /** Graceful: vswitchd `exit --cleanup`, ovsdb-server `exit`, then kill stragglers, delete namespaces and run dir. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.forwarders.values()].map((f) => f.close()));
    await Promise.all(this.hosts.map((h) => h.stopDaemons().catch(() => undefined)));
    teardownLabSync(this.id);
    unregisterActiveLab(this.id);
  }

  private async bootHost(h: LabHost, providers: readonly string[]): Promise<void> {
    await createNetns(h.netns);
    await h.startOvsdb();
    const uplinks = this.underlayNetns ? await cableHost(this.underlayNetns, h, providers) : [];
    const args = bridgeSetupArgs(h, uplinks);
    if (h.datapath === 'dummy') args.push(...dummyCablePorts(h, this.hosts[0], this.hosts));
    // Written before vswitchd starts, so it builds everything in one go.
    await h.vsctl('--no-wait', ...args);
    await h.startVswitchd();
  }
}

import { join } from 'node:path';
import { run } from './command.js';
import type { LabHost } from './host.js';
import { configureEth0, NetnsMachine } from './machine.js';
import { createNetns } from './netns.js';
import { EXTERNAL_BRIDGE, UNDERLAY_BRIDGE, UNDERLAY_PREFIX_LEN, tunnelIp, underlayMac } from './topology.js';

/**
 * The "physical" networks between hosts, all Linux bridges in the lab's underlay netns (netdev only):
 *   ul0   tunnel network: veth `ul-<host>` there <-> `ul0` in the host netns, on br-phy
 *   ext0  external network: `ex-<host>` <-> `ex-uplink` on br-ex; external machines plug in as `xm-<name>`
 *   pnN   provider network of the N-th provider bridge: `pnN-<host>` <-> `pnN-uplink` on that bridge
 * dummy: no kernel devices; host 1's br-phy is the hub, every other host has one unix-socket "cable"
 *   to it (a star, so the standalone bridges cannot loop).
 */
export const UNDERLAY_LINUX_BRIDGE = 'ul0';
export const EXTERNAL_LINUX_BRIDGE = 'ext0';
export const HOST_UNDERLAY_PORT = 'ul0';
export const EXTERNAL_UPLINK_PORT = 'ex-uplink';

export function providerSegment(i: number): string {
  return `pn${i + 1}`;
}
export function providerUplink(i: number): string {
  return `${providerSegment(i)}-uplink`;
}

/** Creates the underlay netns with its Linux bridges (netdev only). */
export async function createUnderlaySwitch(netns: string, providerCount: number): Promise<void> {
  await createNetns(netns);
  const segments = [UNDERLAY_LINUX_BRIDGE, EXTERNAL_LINUX_BRIDGE, ...Array.from({ length: providerCount }, (_, i) => providerSegment(i))];
  for (const br of segments) {
    await run(['ip', '-n', netns, 'link', 'add', br, 'type', 'bridge']);
    await run(['ip', '-n', netns, 'link', 'set', br, 'up']);
  }
}

/** Cables one host into the underlay (and provider segments); returns the OVS ports to add: [bridge, port]. */
export async function cableHost(
  underlayNetns: string,
  host: LabHost,
  providerBridges: readonly string[],
): Promise<Array<[string, string]>> {
  const links: Array<[string, string, string]> = [
    [UNDERLAY_LINUX_BRIDGE, `ul-${host.name}`, HOST_UNDERLAY_PORT],
    [EXTERNAL_LINUX_BRIDGE, `ex-${host.name}`, EXTERNAL_UPLINK_PORT],
    ...providerBridges.map((_, i): [string, string, string] => [providerSegment(i), `${providerSegment(i)}-${host.name}`, providerUplink(i)]),
  ];
  for (const [segment, outer, inner] of links) {
    await run(['ip', '-n', underlayNetns, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', inner, 'netns', host.netns]);
    await run(['ip', '-n', underlayNetns, 'link', 'set', outer, 'master', segment, 'up']);
    await run(['ip', '-n', host.netns, 'link', 'set', inner, 'up']);
  }
  return [[UNDERLAY_BRIDGE, HOST_UNDERLAY_PORT], [EXTERNAL_BRIDGE, EXTERNAL_UPLINK_PORT], ...providerBridges.map((b, i): [string, string] => [b, providerUplink(i)])];
}

export interface ExternalHostOptions {
  name: string;
  mac: string;
  ip: string;
  /** Default 1500. */
  mtu?: number;
  gateway?: string;
}

/** A machine on the external segment: plain veth `xm-<name>` into ext0, no OVS involved. */
export async function createExternalHost(underlayNetns: string, netns: string, o: ExternalHostOptions): Promise<NetnsMachine> {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(o.name)) throw new Error(`external host name "${o.name}" must match /^[a-z][a-z0-9]{0,11}$/`);
  const outer = `xm-${o.name}`;
  await createNetns(netns);
  await run(['ip', '-n', underlayNetns, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await run(['ip', '-n', underlayNetns, 'link', 'set', outer, 'master', EXTERNAL_LINUX_BRIDGE, 'up']);
  await configureEth0(netns, { mac: o.mac, ip: o.ip, mtu: String(o.mtu ?? 1500), gateway: o.gateway });
  return new NetnsMachine(o.name, netns, o.mac, o.ip);
}

/** vsctl arguments that add host's dummy cable port(s) to br-phy. */
export function dummyCablePorts(host: LabHost, hub: LabHost, hosts: readonly LabHost[]): string[] {
  const sock = (peer: LabHost): string => join(hub.runDir, `cable-${peer.name}.sock`);
  const port = (name: string, option: string): string[] =>
    ['--', 'add-port', UNDERLAY_BRIDGE, name, '--', 'set', 'interface', name, 'type=dummy', option];
  if (host === hub) return hosts.filter((h) => h !== hub).flatMap((peer) => port(`ul-${peer.name}`, `options:pstream=punix:${sock(peer)}`));
  return port(HOST_UNDERLAY_PORT, `options:stream=unix:${sock(host)}`);
}

/**
 * Gives the host its tunnel IP. Must be re-run after every vswitchd (re)start: the netdev br-phy tap
 * is re-created, and the dummy datapath keeps address, route and neighbours only in memory.
 */
export async function configureTunnelEndpoint(host: LabHost, hosts: readonly LabHost[]): Promise<void> {
  const cidr = `${tunnelIp(host.index)}/${UNDERLAY_PREFIX_LEN}`;
  if (host.datapath === 'netdev') {
    await host.exec('ip', 'link', 'set', UNDERLAY_BRIDGE, 'up');
    await host.exec('ip', 'addr', 'replace', cidr, 'dev', UNDERLAY_BRIDGE);
    return;
  }
  await host.appctl('netdev-dummy/ip4addr', UNDERLAY_BRIDGE, cidr);
  await host.appctl('ovs/route/add', `192.0.2.0/${UNDERLAY_PREFIX_LEN}`, UNDERLAY_BRIDGE);
  for (const peer of hosts.filter((h) => h !== host)) {
    await host.appctl('tnl/neigh/set', UNDERLAY_BRIDGE, tunnelIp(peer.index), underlayMac(peer.index));
  }
}

import { isIP } from 'node:net';
import { INT_BRIDGE, TUN_BRIDGE } from '../apps/bridge-ports.js';

/** What `neutrino join` needs to make one host ready. */
export interface JoinOptions {
  /** Host name: first half of every bridge's dp-desc, and the name registered through the API. */
  name: string;
  /** Local VTEP address (canonical form): the vxlan port's local_ip and the registered tunnel_ip. */
  tunnelIp: string;
  /** OpenFlow controller target, e.g. tcp:192.0.2.1:6653. */
  controller: string;
  /** physnet -> provider bridge, as Neutron's bridge_mappings. */
  bridgeMappings: Record<string, string>;
  /** OVSDB socket, e.g. unix:/run/ovs/db.sock; undefined = ovs-vsctl's default (honours OVS_RUNDIR). */
  db?: string;
  /** Datapath type for the bridges (netdev for userspace); undefined = leave existing, OVS default for new. */
  datapathType?: string;
  /** Registration through the API; undefined = do not register. */
  register?: { apiUrl: string; token?: string };
}

export class JoinOptionError extends Error {
  override name = 'JoinOptionError';
}

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
// A bridge is also a netdev (its internal port): Linux's 15 characters. Longer int-/phy- patch port names are hashed.
const BRIDGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const PHYSNET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CONTROLLER_TARGET = /^(?:(?:tcp|ssl):(?:\[[0-9A-Fa-f:.]+\]|[^:[\]\s]+)(?::\d{1,5})?|unix:\/\S+)$/;
const DATAPATH_TYPE = /^[a-z]+$/;

function checkHostName(name: string): string {
  if (!HOST_NAME.test(name)) throw new JoinOptionError(`host name "${name}" must match ${HOST_NAME} (it is half of the bridges' dp-desc)`);
  return name;
}

/** Canonical IPv4/IPv6 text, so dp-desc, local_ip and the registered tunnel_ip compare equal on re-runs. */
function canonicalTunnelIp(ip: string): string {
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  throw new JoinOptionError(`tunnel IP "${ip}" is not an IPv4 or IPv6 address`);
}

function checkControllerTarget(target: string): string {
  if (!CONTROLLER_TARGET.test(target)) {
    throw new JoinOptionError(`controller "${target}" must look like tcp:IP:PORT, ssl:IP:PORT or unix:/path`);
  }
  return target;
}

function checkDatapathType(type: string): string {
  if (!DATAPATH_TYPE.test(type)) throw new JoinOptionError(`datapath type "${type}" must be a word such as netdev or system`);
  return type;
}

/** Checks every option and returns them in canonical form (the tunnel IP above all). */
export function validateJoinOptions(opts: JoinOptions): JoinOptions {
  for (const [physnet, bridge] of Object.entries(opts.bridgeMappings)) checkMapping(physnet, bridge);
  if (new Set(Object.values(opts.bridgeMappings)).size !== Object.keys(opts.bridgeMappings).length) {
    throw new JoinOptionError('a bridge is mapped to two physical networks');
  }
  return {
    ...opts,
    name: checkHostName(opts.name),
    tunnelIp: canonicalTunnelIp(opts.tunnelIp),
    controller: checkControllerTarget(opts.controller),
    datapathType: opts.datapathType === undefined ? undefined : checkDatapathType(opts.datapathType),
  };
}

function checkMapping(physnet: string, bridge: string): void {
  if (!PHYSNET_NAME.test(physnet)) throw new JoinOptionError(`physical network name "${physnet}" must match ${PHYSNET_NAME}`);
  if (!BRIDGE_NAME.test(bridge)) throw new JoinOptionError(`bridge name "${bridge}" must match ${BRIDGE_NAME}`);
  if (bridge === INT_BRIDGE || bridge === TUN_BRIDGE) throw new JoinOptionError(`${bridge} cannot be a provider bridge`);
}

/**
 * `physnet:bridge` items (each may also be a comma-separated list, as in Neutron's config) into a map.
 * A physnet or a bridge may appear once; br-int and br-tun are not provider bridges.
 */
export function parseBridgeMappings(items: readonly string[]): Record<string, string> {
  const mappings: Record<string, string> = {};
  const bridges = new Set<string>();
  for (const item of items.flatMap((i) => i.split(',')).map((i) => i.trim()).filter(Boolean)) {
    const [physnet, bridge, ...rest] = item.split(':');
    if (bridge === undefined || rest.length > 0) throw new JoinOptionError(`bridge mapping "${item}" must be physnet:bridge`);
    checkMapping(physnet, bridge);
    if (Object.hasOwn(mappings, physnet)) throw new JoinOptionError(`physical network ${physnet} is mapped twice`);
    if (bridges.has(bridge)) throw new JoinOptionError(`bridge ${bridge} is mapped to two physical networks`);
    mappings[physnet] = bridge;
    bridges.add(bridge);
  }
  return mappings;
}

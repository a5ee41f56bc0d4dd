import { createHash } from 'node:crypto';
/** Names of the interfaces the L2 apps look up in HostInfo.ofports (Neutron's naming). */
export const INT_BRIDGE = 'br-int';
export const TUN_BRIDGE = 'br-tun';
/** br-int side and br-tun side of the br-int <-> br-tun patch pair. */
export const PATCH_TUN = 'patch-tun';
export const PATCH_INT = 'patch-int';
/**
 * The one flow-based VXLAN port of br-tun (`options:remote_ip=flow options:key=flow`); the remote VTEP
 * is chosen per flow with set_field:IP->tun_dst. See README.md for why there is one port, not one per host.
 */
export const TUNNEL_PORT = 'vxlan-flow';

/** Linux interface names hold at most 15 characters (IFNAMSIZ - 1); OVS ports of netdevs too. */
export const DEVICE_NAME_MAX_LEN = 15;
/** Hex digits of the SHA-1 that replace a too-long name's tail (Neutron's INTERFACE_HASH_LEN). */
const NAME_HASH_LEN = 6;

/**
 * prefix + name, or when longer than 15 characters, prefix + the head of name + the first 6 hex digits
 * of SHA-1(name): Neutron's get_interface_name, so `int-br-provider1` names the same port as Neutron's agent.
 */
export function deviceName(prefix: string, name: string): string {
  if (prefix.length + name.length <= DEVICE_NAME_MAX_LEN) return prefix + name;
  const head = name.slice(0, DEVICE_NAME_MAX_LEN - prefix.length - NAME_HASH_LEN);
  return prefix + head + createHash('sha1').update(name, 'utf8').digest('hex').slice(0, NAME_HASH_LEN);
}

/** br-int side of the patch pair to a provider bridge (Neutron: int-<bridge>, hashed past 15 characters). */
export function intPatchPort(bridge: string): string {
  return deviceName('int-', bridge);
}

/** Provider-bridge side of the patch pair (Neutron: phy-<bridge>, hashed past 15 characters). */
export function phyPatchPort(bridge: string): string {
  return deviceName('phy-', bridge);
}

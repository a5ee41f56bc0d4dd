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

/** br-int side of the patch pair to a provider bridge (Neutron: int-<bridge>). */
export function intPatchPort(bridge: string): string {
  return `int-${bridge}`;
}

/** Provider-bridge side of the patch pair (Neutron: phy-<bridge>). */
export function phyPatchPort(bridge: string): string {
  return `phy-${bridge}`;
}

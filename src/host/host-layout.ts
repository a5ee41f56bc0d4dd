import { INT_BRIDGE, PATCH_INT, PATCH_TUN, TUN_BRIDGE, TUNNEL_PORT, intPatchPort, phyPatchPort } from '../apps/bridge-ports.js';

/** OF1.3 is what the controller speaks; OF1.0 keeps plain `ovs-ofctl` (no -O) usable; OF1.5 as OVS offers it. */
export const REQUIRED_PROTOCOLS = ['OpenFlow10', 'OpenFlow13', 'OpenFlow15'] as const;
export const FAIL_MODE = 'secure';
/** In-band would add hidden flows to reach the controller through the bridges (lab notes, gotcha 9). */
export const CONNECTION_MODE = 'out-of-band';
/**
 * Packet-ins (VM DHCP requests) each bridge may send the one central controller: packets/s and burst.
 * Above it OVS queues them per port and sends them round-robin, so one VM flooding requests can
 * neither swamp the controller nor starve the other ports (ovs-vswitchd.conf.db: controller_rate_limit).
 */
export const CONTROLLER_RATE_LIMIT = 1000;
export const CONTROLLER_BURST_LIMIT = 250;

export interface WantedPort {
  name: string;
  type: 'patch' | 'vxlan';
  /** Interface options that must have these values; other option keys are left alone. */
  options: Record<string, string>;
}

export interface WantedBridge {
  name: string;
  /** other-config:dp-desc, how the controller identifies the bridge (src/switch/identity.ts). */
  dpDesc: string;
  ports: WantedPort[];
}

/**
 * The bridges of a Neutron OVS-agent node: br-int, br-tun with one flow-based VXLAN port (the
 * controller picks the remote per flow with tun_dst), and one provider bridge per bridge mapping,
 * each patched to br-int with Neutron's port names.
 */
export function hostLayout(host: string, tunnelIp: string, bridgeMappings: Record<string, string>): WantedBridge[] {
  const patch = (name: string, peer: string): WantedPort => ({ name, type: 'patch', options: { peer } });
  const providers = Object.values(bridgeMappings);
  const bridge = (name: string, ports: WantedPort[]): WantedBridge => ({ name, dpDesc: `${host} ${name}`, ports });
  return [
    bridge(INT_BRIDGE, [
      patch(PATCH_TUN, PATCH_INT),
      ...providers.map((br) => patch(intPatchPort(br), phyPatchPort(br))),
    ]),
    bridge(TUN_BRIDGE, [
      patch(PATCH_INT, PATCH_TUN),
      { name: TUNNEL_PORT, type: 'vxlan', options: { remote_ip: 'flow', key: 'flow', local_ip: tunnelIp } },
    ]),
    ...providers.map((br) => bridge(br, [patch(phyPatchPort(br), intPatchPort(br))])),
  ];
}

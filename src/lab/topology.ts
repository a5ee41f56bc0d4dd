/**
 * Bridge layout and identity scheme of a lab host (mirrors a Neutron OVS-agent node):
 *
 *   br-int  (secure)  integration bridge, VM taps
 *   br-tun  (secure)  tunnel bridge, patch-tun <-> patch-int (ofport 1 on both sides), vxlan ports
 *   br-ex   (secure)  external bridge, int-br-ex <-> phy-br-ex
 *   br-ethN (secure)  optional provider bridges, int-br-ethN <-> phy-br-ethN, uplink to a shared segment
 *   br-phy            the lab's "physical NIC": holds the underlay port and the host's tunnel IP
 *                     (the userspace datapath needs the VTEP IP on an OVS bridge, notes gotcha 4).
 *                     It is lab plumbing, not managed by the controller: fail-mode standalone (NORMAL).
 *
 * Identity, so a controller can tell switches apart without knowing the lab:
 *   other-config:dp-desc     = "<host> <bridge>"           e.g. "h1 br-int"  (OFPMP_DESC dp_desc)
 *   other-config:datapath-id = 0000 0000 0000 HHBB (hex)   HH = 1-based host index, BB = bridge code below
 */
import { intPatchPort, phyPatchPort } from '../apps/bridge-ports.js';
export type BridgeRole = 'integration' | 'tunnel' | 'external' | 'provider' | 'underlay';

export interface BridgeInfo {
  name: string;
  role: BridgeRole;
  failMode: 'secure' | 'standalone';
  /** 16 hex digits, as written to other-config:datapath-id. */
  datapathId: string;
  dpDesc: string;
  /** Patch pair towards br-int: port on br-int, port on this bridge. */
  patchToInt?: { intPort: string; bridgePort: string };
}

export const INTEGRATION_BRIDGE = 'br-int';
export const TUNNEL_BRIDGE = 'br-tun';
export const EXTERNAL_BRIDGE = 'br-ex';
export const UNDERLAY_BRIDGE = 'br-phy';
export const OPENFLOW_PROTOCOLS = 'OpenFlow10,OpenFlow13,OpenFlow15';

const BRIDGE_CODES: Record<string, number> = { 'br-int': 0x01, 'br-tun': 0x02, 'br-ex': 0x03, 'br-phy': 0x0f };
const PROVIDER_CODE_BASE = 0x10;

export function datapathId(hostIndex: number, bridgeCode: number): string {
  if (hostIndex < 1 || hostIndex > 0xff) throw new Error(`host index ${hostIndex} out of range 1..255`);
  return `000000000000${hex2(hostIndex)}${hex2(bridgeCode)}`;
}

/** All bridges of a host, in creation order. */
export function hostBridges(host: string, hostIndex: number, providerBridges: readonly string[]): BridgeInfo[] {
  const mk = (name: string, role: BridgeRole, code: number, patch?: BridgeInfo['patchToInt']): BridgeInfo => ({
    name,
    role,
    failMode: role === 'underlay' ? 'standalone' : 'secure',
    datapathId: datapathId(hostIndex, code),
    dpDesc: `${host} ${name}`,
    ...(patch ? { patchToInt: patch } : {}),
  });
  return [
    mk(INTEGRATION_BRIDGE, 'integration', BRIDGE_CODES['br-int']),
    mk(TUNNEL_BRIDGE, 'tunnel', BRIDGE_CODES['br-tun'], { intPort: 'patch-tun', bridgePort: 'patch-int' }),
    mk(EXTERNAL_BRIDGE, 'external', BRIDGE_CODES['br-ex'], { intPort: intPatchPort(EXTERNAL_BRIDGE), bridgePort: phyPatchPort(EXTERNAL_BRIDGE) }),
    ...providerBridges.map((name, i) =>
      mk(name, 'provider', PROVIDER_CODE_BASE + i, { intPort: intPatchPort(name), bridgePort: phyPatchPort(name) }),
    ),
    mk(UNDERLAY_BRIDGE, 'underlay', BRIDGE_CODES['br-phy']),
  ];
}

/** Underlay addressing: host n (1-based) owns 192.0.2.(10+n)/24 on its br-phy. */
export const UNDERLAY_PREFIX_LEN = 24;
export function tunnelIp(hostIndex: number): string {
  if (hostIndex > 200) throw new Error('at most 200 hosts per lab');
  return `192.0.2.${10 + hostIndex}`;
}

/** Fixed br-phy MAC, used by the dummy datapath where no kernel learns neighbours. */
export function underlayMac(hostIndex: number): string {
  return `aa:55:aa:55:00:${hex2(hostIndex)}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Inverse of the dp-desc scheme: "h1 br-int" -> { host: 'h1', bridge: 'br-int' }. */
export function parseDpDesc(dpDesc: string): { host: string; bridge: string } | undefined {
  const m = /^([a-z][a-z0-9]*) (br-[A-Za-z0-9_.-]+)$/.exec(dpDesc.replace(/\0+$/, '').trim());
  return m ? { host: m[1], bridge: m[2] } : undefined;
}

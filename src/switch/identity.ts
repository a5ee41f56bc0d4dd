/**
 * Which host and bridge a connection belongs to.
 *
 * Each bridge announces itself through its OpenFlow DESC reply, whose `dp_desc` the operator sets
 * with `ovs-vsctl set bridge br-int other-config:dp-desc="compute-1 br-int"`: the host name, one
 * space, the bridge role. A controller serving many hosts cannot rely on datapath ids (they change
 * when a bridge is recreated) nor on source addresses (NAT, several bridges per host).
 */
export interface SwitchIdentity {
  readonly host: string;
  readonly bridge: string;
  /** `host/bridge`: the key the reconciler and the apps use for a bridge. */
  readonly key: string;
}

const DP_DESC = /^\s*(\S+)\s+(\S+)\s*$/;

export function parseDpDesc(dpDesc: string): SwitchIdentity | undefined {
  const m = DP_DESC.exec(dpDesc);
  if (!m) return undefined;
  return bridgeIdentity(m[1], m[2]);
}

export function bridgeIdentity(host: string, bridge: string): SwitchIdentity {
  return { host, bridge, key: `${host}/${bridge}` };
}

/** Datapath id as OVS prints it (`ovs-ofctl show`: 16 hex digits). */
export function formatDpid(dpid: bigint): string {
  return dpid.toString(16).padStart(16, '0');
}

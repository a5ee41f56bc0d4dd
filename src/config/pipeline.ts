/**
 * The one place where table numbers, registers and the cookie layout are declared, with names.
 * Numbers follow neutron/plugins/ml2/drivers/openvswitch/agent/common/constants.py so flows read
 * like the Neutron OVS agent's and operators' runbooks keep working.
 */

/** Tables of the integration bridge (br-int). */
export const IntTable = {
  LOCAL_SWITCHING: 0,
  DVR_TO_SRC_MAC: 1,
  DVR_TO_SRC_MAC_PHYSICAL: 2,
  ARP_DVR_MAC_TO_DST_MAC: 3,
  ARP_DVR_MAC_TO_DST_MAC_PHYSICAL: 4,
  CANARY: 23,
  ARP_SPOOF: 24,
  MAC_SPOOF: 25,
  TRANSIENT: 60,
  TRANSIENT_EGRESS: 61,
  BASE_EGRESS: 71,
  RULES_EGRESS: 72,
  ACCEPT_OR_INGRESS: 73,
  BASE_INGRESS: 81,
  RULES_INGRESS: 82,
  ACCEPTED_EGRESS_TRAFFIC_NORMAL: 91,
  DROPPED_TRAFFIC: 93,
  ACCEPTED_EGRESS_TRAFFIC: 94,
} as const;

/** Tables of the tunnel bridge (br-tun). */
export const TunTable = {
  LOCAL_SWITCHING: 0,
  DVR_PROCESS: 1,
  PATCH_LV_TO_TUN: 2,
  GRE_TUN_TO_LV: 3,
  VXLAN_TUN_TO_LV: 4,
  GENEVE_TUN_TO_LV: 6,
  DVR_NOT_LEARN: 9,
  LEARN_FROM_TUN: 10,
  UCAST_TO_TUN: 20,
  ARP_RESPONDER: 21,
  FLOOD_TO_TUN: 22,
} as const;

/** Tables of a physical (provider) bridge such as br-ex. */
export const PhysTable = {
  LOCAL_SWITCHING: 0,
  DVR_PROCESS_PHYSICAL: 1,
  DVR_NOT_LEARN_PHYSICAL: 2,
} as const;

/** Registers, as the Neutron OVS firewall uses them. */
export const Reg = {
  /** ofport of the VM port a packet belongs to. */
  PORT: 5,
  /** Conntrack zone / network of the port. */
  NET: 6,
  /** Remote security group conjunction ids. */
  REMOTE_GROUP: 7,
} as const;

/** Bridge roles a switch can claim in `other-config:dp-desc` ("<host> <role>"). */
export const BRIDGE_ROLES = ['br-int', 'br-tun', 'br-ex', 'br-phys'] as const;

/**
 * Cookie layout: the high 16 bits name the app that owns a flow, the low 48 bits the object
 * (port, network, rule...) it was computed for. A dumped flow thus maps back to its intent, and
 * an app's flows can be selected with a cookie mask (OVS matches cookie & mask).
 */
export const COOKIE_APP_SHIFT = 48n;
export const COOKIE_APP_MASK = 0xffff_0000_0000_0000n;
export const COOKIE_OBJECT_MASK = 0x0000_ffff_ffff_ffffn;

/** App ids. 0 is never used by us: a flow with app 0 was not installed by Neutrino. */
export const App = {
  FOREIGN: 0,
  RECONCILER_TEST: 1,
  LOCAL_SWITCHING: 2,
  TUNNEL: 3,
  FIREWALL: 4,
  ARP_RESPONDER: 5,
  DVR: 6,
  /** VM DHCP requests sent to the controller, which answers them (src/dhcp, src/controller/dhcp-service.ts). */
  DHCP: 7,
  /** Anti-spoofing of ports with port_security_enabled (apps/port-security.ts). */
  PORT_SECURITY: 8,
} as const;

/**
 * The controller's DHCP server: the Ethernet source of its replies (locally administered, so it cannot
 * be a Neutron fa:16:3e port MAC) and the lease it grants (Neutron's dhcp_lease_duration default).
 */
export const DHCP_SERVER_MAC = '02:4e:54:00:00:67';
export const DHCP_LEASE_SECONDS = 86400;
/** VMs get `host-10-0-0-5.openstacklocal` as Neutron's DHCP agent names them. */
export const DHCP_DOMAIN = 'openstacklocal';

export function makeCookie(app: number, objectId: bigint | number): bigint {
  if (!Number.isInteger(app) || app < 0 || app > 0xffff) throw new RangeError(`app id ${app} does not fit in 16 bits`);
  const obj = BigInt(objectId);
  if (obj < 0n || obj > COOKIE_OBJECT_MASK) throw new RangeError(`object id ${obj} does not fit in 48 bits`);
  return (BigInt(app) << COOKIE_APP_SHIFT) | obj;
}

export function cookieApp(cookie: bigint): number {
  return Number((cookie & COOKIE_APP_MASK) >> COOKIE_APP_SHIFT);
}

export function cookieObject(cookie: bigint): bigint {
  return cookie & COOKIE_OBJECT_MASK;
}

/** True when a cookie carries one of our app ids, i.e. the reconciler may delete the flow. */
export function isOurCookie(cookie: bigint): boolean {
  return cookieApp(cookie) !== App.FOREIGN;
}

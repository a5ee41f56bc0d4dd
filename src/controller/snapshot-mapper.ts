import type { Host, Network, Port } from '../store/types.js';
import type { HostInfo, NetworkInfo, PortInfo } from '../topology/model.js';

/** Store documents -> the apps' topology model. */

export function hostInfo(h: Host, ofports: HostInfo['ofports']): HostInfo {
  return { name: h.name, tunnelIp: h.tunnel_ip ?? '', bridgeMappings: h.bridge_mappings, dvrMac: h.dvr_host_mac, ofports };
}

export function networkInfo(n: Network): NetworkInfo {
  return {
    id: n.id,
    type: n['provider:network_type'],
    ...(n['provider:physical_network'] ? { physnet: n['provider:physical_network'] } : {}),
    ...(n['provider:segmentation_id'] !== null ? { segmentationId: n['provider:segmentation_id'] } : {}),
  };
}

/** A port plugged on `host` as `interfaceName` at `ofport`; `dhcp`: its DHCP requests are answered by the controller. */
export function portInfo(p: Port, host: string, interfaceName: string, ofport: number, dhcp = false): PortInfo {
  const portSecurity = p.port_security_enabled;
  return {
    id: p.id,
    networkId: p.network_id,
    mac: p.mac_address,
    fixedIps: p.fixed_ips.map((ip) => ip.ip_address),
    allowedAddressPairs: p.allowed_address_pairs.map((a) => ({ ipAddress: a.ip_address, macAddress: a.mac_address })),
    host,
    interfaceName,
    ofport,
    ...(dhcp ? { dhcp } : {}),
    ...(portSecurity ? { portSecurity } : {}),
  };
}

import type { Lab, LabHost, LabVm } from '../../src/lab/index.js';
import { interfaceNameFor, type HostInfo, type NetworkInfo, type PortInfo } from '../../src/topology/model.js';

/** Glue between the lab and the topology model: VMs as Neutron ports, live ofports read from OVSDB. */

export interface VmPort {
  vm: LabVm;
  port: PortInfo;
}

/** Plugs a VM into br-int under its Neutron device name and returns it with the port the store would hold. */
export async function addVmPort(lab: Lab, host: string, o: { id: string; network: NetworkInfo; name: string; mac: string; ip: string }): Promise<VmPort> {
  const iface = interfaceNameFor(o.id);
  const vm = await lab.addVm(host, { name: o.name, mac: o.mac, ip: o.ip, iface, portId: o.id });
  const port: PortInfo = {
    id: o.id,
    networkId: o.network.id,
    mac: o.mac,
    fixedIps: [o.ip.split('/')[0]],
    allowedAddressPairs: [],
    host,
    interfaceName: iface,
    ofport: vm.ofport,
  };
  return { vm, port };
}

/** The one flow-based VXLAN port of br-tun (remote_ip=flow, key=flow). */
export async function addFlowTunnelPort(host: LabHost): Promise<void> {
  await host.vsctl('--may-exist', 'add-port', 'br-tun', 'vxlan-flow', '--', 'set', 'interface', 'vxlan-flow',
    'type=vxlan', 'options:remote_ip=flow', 'options:key=flow');
}

/** HostInfo with the ofports of every interface of the given bridges, as OVSDB reports them now. */
export async function liveHostInfo(host: LabHost, tunnelIp: string, bridgeMappings: Record<string, string>, bridges: string[]): Promise<HostInfo> {
  const csv = await host.vsctl('--format=csv', '--no-headings', '--columns=name,ofport', 'list', 'interface');
  const ofportByName = new Map(csv.trim().split('\n').map((l) => {
    const [name, ofport] = l.split(',');
    return [name.replace(/"/g, ''), Number(ofport)] as const;
  }));
  const ofports: Record<string, Record<string, number>> = {};
  for (const bridge of bridges) {
    const ifaces = (await host.vsctl('list-ifaces', bridge)).trim().split('\n').filter(Boolean);
    ofports[bridge] = Object.fromEntries(ifaces.map((i) => [i, ofportByName.get(i) ?? -1]));
  }
  return { name: host.name, tunnelIp, bridgeMappings, ofports };
}

import { join } from 'node:path';
import { run } from './command.js';
import { Dhclient } from './dhcp-client.js';
import type { LabHost } from './host.js';
import { configureEth0, NetnsMachine } from './machine.js';
import { assertIfaceName } from './naming.js';
import { createNetns } from './netns.js';

export interface VmOptions {
  name: string;
  mac: string;
  /** Address with prefix length, e.g. 10.0.0.11/24; absent: none, for `LabVm.dhcp()` to obtain one. */
  ip?: string;
  /** Default 1450: room for the 50-byte VXLAN header on a 1500 underlay (notes gotcha 3). */
  mtu?: number;
  /** Name of the host-side veth (the "tap"), at most 15 chars; default `tap<name>`. */
  iface?: string;
  /** Bridge to plug the tap into; default br-int. */
  bridge?: string;
  ofportRequest?: number;
  gateway?: string;
  /** external_ids:iface-id, the Neutron port id the agent would look up; default the VM name. */
  portId?: string;
}

/** A "VM": its own netns with eth0, whose veth peer (the tap) is a port on a bridge of its host. */
export class LabVm extends NetnsMachine {
  constructor(
    name: string,
    netns: string,
    mac: string,
    cidr: string,
    readonly host: LabHost,
    readonly iface: string,
    readonly bridge: string,
    readonly ofport: number,
  ) {
    super(name, netns, mac, cidr);
  }

  /** ISC dhclient for eth0, its files under the host's run dir (removed with the lab). */
  dhclient(timeoutS?: number): Dhclient {
    return new Dhclient(this.netns, join(this.host.runDir, `dhclient-${this.name}`), timeoutS);
  }
}

export async function createVm(host: LabHost, netns: string, o: VmOptions): Promise<LabVm> {
  const iface = o.iface ?? `tap${o.name}`;
  assertIfaceName(iface);
  const mtu = String(o.mtu ?? 1450);
  const bridge = o.bridge ?? 'br-int';
  host.bridge(bridge);
  await createNetns(netns);
  await run(['ip', '-n', host.netns, 'link', 'add', iface, 'mtu', mtu, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await configureEth0(netns, { mac: o.mac, ip: o.ip, mtu, gateway: o.gateway });
  await run(['ip', '-n', host.netns, 'link', 'set', iface, 'up']);
  const ofport = o.ofportRequest === undefined ? [] : [`ofport_request=${o.ofportRequest}`];
  // del-port first: a port bound to an earlier veth of the same name would stay dead (gotcha 18).
  await host.vsctl(
    '--if-exists', 'del-port', iface,
    '--', 'add-port', bridge, iface,
    '--', 'set', 'interface', iface, ...ofport,
    `external_ids:iface-id=${o.portId ?? o.name}`, `external_ids:attached-mac=${o.mac}`,
    'external_ids:iface-status=active', `external_ids:vm-id=${o.name}`,
  );
  const port = Number((await host.vsctl('get', 'interface', iface, 'ofport')).trim());
  if (!(port > 0)) throw new Error(`VM ${o.name}: OVS did not attach ${iface} on ${host.name}/${bridge} (ofport ${port})`);
  return new LabVm(o.name, netns, o.mac, o.ip ?? '', host, iface, bridge, port);
}

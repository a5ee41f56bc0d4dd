import type { LabHost } from './host.js';
import { INTEGRATION_BRIDGE, OPENFLOW_PROTOCOLS, UNDERLAY_BRIDGE, underlayMac } from './topology.js';

/**
 * One ovs-vsctl transaction (as `-- cmd ...` arguments) that creates all bridges of a host with the lab
 * defaults and identity (topology.ts), the patch pairs to br-int, and the given [bridge, port] uplinks.
 */
export function bridgeSetupArgs(host: LabHost, uplinks: ReadonlyArray<readonly [string, string]>): string[] {
  const args: string[] = [];
  for (const b of host.bridges) {
    args.push('--', 'add-br', b.name, '--', 'set', 'bridge', b.name, `datapath_type=${host.datapath}`,
      `fail-mode=${b.failMode}`, `protocols=${OPENFLOW_PROTOCOLS}`,
      `other-config:datapath-id=${b.datapathId}`, `other-config:dp-desc="${b.dpDesc}"`);
    // A fixed MAC, so the dummy datapath's static neighbour entries can point at it.
    if (b.name === UNDERLAY_BRIDGE) args.push(`other-config:hwaddr="${underlayMac(host.index)}"`);
  }
  for (const b of host.bridges) {
    if (!b.patchToInt) continue;
    const { intPort, bridgePort } = b.patchToInt;
    // patch-tun/patch-int on ofport 1 as in the notes' hand-written flows; the peer side is alone anyway.
    const intReq = b.role === 'tunnel' ? ['ofport_request=1'] : [];
    args.push('--', 'add-port', INTEGRATION_BRIDGE, intPort, '--', 'set', 'interface', intPort, 'type=patch',
      `options:peer=${bridgePort}`, ...intReq);
    args.push('--', 'add-port', b.name, bridgePort, '--', 'set', 'interface', bridgePort, 'type=patch',
      `options:peer=${intPort}`, 'ofport_request=1');
  }
  for (const [bridge, port] of uplinks) args.push('--', 'add-port', bridge, port);
  return args;
}

import { createSnapshot, type NetworkInfo, type PortInfo, type TopologySnapshot } from '../../src/topology/model.js';
import { makeHost, makePort, withLocalVlans } from './snapshot-builder.js';

/**
 * The scale case of the README: 10 networks (7 vxlan, 2 vlan, 1 flat) x `perNetwork` ports, round-robin
 * over 3 hosts, each host mapping physnet1 -> br-eth1 and physnet2 -> br-eth2. `extra` ports are added
 * to net-0 on h1 (the "one more port" of the benchmarks).
 */
export const SCALE_HOSTS = ['h1', 'h2', 'h3'];

export function scaleNetworks(): NetworkInfo[] {
  return Array.from({ length: 10 }, (_, i): NetworkInfo =>
    i < 7 ? { id: `net-${i}`, type: 'vxlan', segmentationId: 5000 + i }
      : i < 9 ? { id: `net-${i}`, type: 'vlan', physnet: 'physnet1', segmentationId: 100 + i }
        : { id: `net-${i}`, type: 'flat', physnet: 'physnet2' });
}

export function scalePorts(perNetwork = 100, extra = 0): PortInfo[] {
  const ports = scaleNetworks().flatMap((net, i) =>
    Array.from({ length: perNetwork }, (_, j) => makePort(`port-${i}-${j}`, net.id, `h${(j % 3) + 1}`, i * 100 + j + 1, 10 + i * 40 + Math.floor(j / 3))));
  for (let k = 0; k < extra; k++) ports.push(makePort(`port-extra-${k}`, 'net-0', 'h1', 5000 + k, 2000 + k));
  return ports;
}

export function scaleSnapshot(perNetwork = 100, extra = 0): TopologySnapshot {
  const mappings = { physnet1: 'br-eth1', physnet2: 'br-eth2' };
  const hosts = [makeHost(1, mappings), makeHost(2, mappings), makeHost(3, mappings)];
  return createSnapshot(withLocalVlans(hosts, scaleNetworks(), scalePorts(perNetwork, extra)));
}

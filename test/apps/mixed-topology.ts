import { createSnapshot, type NetworkInfo, type PortInfo } from '../../src/topology/model.js';
import { makeHost, makePort, withLocalVlans } from './snapshot-builder.js';

/** The mixed topology of l2-flows.test.ts: every network type, AAPs, a shared VIP, unbound and unplugged ports. */
export const X: NetworkInfo = { id: 'net-x', type: 'vxlan', segmentationId: 100 };
export const V: NetworkInfo = { id: 'net-v', type: 'vlan', physnet: 'physnet1', segmentationId: 200 };
export const F: NetworkInfo = { id: 'net-f', type: 'flat', physnet: 'external' };
export const L: NetworkInfo = { id: 'net-l', type: 'local' };

export const x1: PortInfo = {
  ...makePort('port-x1', X.id, 'h1', 1, 10),
  fixedIps: ['10.0.0.1', 'fd00::1'],
  allowedAddressPairs: [
    { ipAddress: '10.9.9.9', macAddress: 'fa:16:3e:99:99:99' },
    { ipAddress: '10.7.7.7' },
    { ipAddress: '10.8.0.0/24' },
    { ipAddress: '10.6.6.6' },
  ],
};
export const x2: PortInfo = { ...makePort('port-x2', X.id, 'h1', 2, 11), allowedAddressPairs: [{ ipAddress: '10.6.6.6' }] };
export const x3 = makePort('port-x3', X.id, 'h2', 3, 10);
export const unbound = makePort('port-x4', X.id, undefined, 4);
export const unplugged = makePort('port-x5', X.id, 'h3', 5);
export const ports = [
  x1, x2, x3, unbound, unplugged,
  makePort('port-v1', V.id, 'h1', 11, 20), makePort('port-v2', V.id, 'h2', 12, 20),
  makePort('port-f1', F.id, 'h1', 21, 30),
  makePort('port-l1', L.id, 'h1', 31, 40), makePort('port-l2', L.id, 'h1', 32, 41), makePort('port-l3', L.id, 'h2', 33, 41),
];
export const hosts = [makeHost(1, { physnet1: 'br-eth1', external: 'br-ex' }), makeHost(2, { physnet1: 'br-eth1' }), makeHost(3)];
// Local VLANs: X=1 V=2 F=3 L=4 wherever the network has a bound port (h3: X, bound but unplugged).
export const snap = createSnapshot(withLocalVlans(hosts, [X, V, F, L], ports));

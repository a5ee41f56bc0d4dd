import { createSnapshot, interfaceNameFor, type HostInfo, type NetworkInfo, type PortInfo, type TopologySnapshot } from '../../src/topology/model.js';
import { makeHost, makePort } from './snapshot-builder.js';

// Edge cases the other topologies lack: UUIDs, ofports only in the host's live ports, upper-case and
// short-form MACs, a MAC and a VIP claimed twice, per-host local VLANs, a host without br-tun ports
// or with a provider bridge but no patch port, extreme segmentation ids, DHCP and port security (CIDR and
// IPv6 pairs, short-form MACs) on some ports.
const U = (n: number): string => `${n.toString(16).padStart(8, '0')}-1111-4111-8111-0000000000${n.toString(16).padStart(2, '0')}`;
const NX: NetworkInfo = { id: U(1), type: 'vxlan', segmentationId: 0xffffff };
const NV: NetworkInfo = { id: U(2), type: 'vlan', physnet: 'physnet1', segmentationId: 4094 };
const NF: NetworkInfo = { id: U(3), type: 'flat', physnet: 'external' };
export function edgeSnapshot(): TopologySnapshot {
  const live = (h: HostInfo, ports: Record<string, number>): HostInfo => ({ ...h, ofports: { ...h.ofports, 'br-int': { ...h.ofports['br-int'], ...ports } } });
  const h1 = makeHost(1, { physnet1: 'br-eth1', external: 'br-ex' });
  const h2 = { ...makeHost(2, { physnet1: 'br-eth1' }), ofports: { 'br-int': { 'patch-tun': 7, 'int-br-eth1': 9 }, 'br-eth1': { 'phy-br-eth1': 4 } } };
  const h3 = { ...makeHost(3, { external: 'br-ex' }), ofports: { ...makeHost(3).ofports, 'br-ex': {} } };
  const p = (n: number, net: NetworkInfo, host: string, o: Partial<PortInfo> = {}): PortInfo => ({ ...makePort(U(100 + n), net.id, host, n), ...o });
  const ports: PortInfo[] = [
    p(1, NX, 'h1', { dhcp: true, portSecurity: true, mac: 'FA:16:3E:AA:00:01', allowedAddressPairs: [{ ipAddress: '10.1.0.100', macAddress: 'fa:16:3e:aa:00:99' }, { ipAddress: '10.1.0.200/32' }] }),
    p(2, NX, 'h2', { portSecurity: true, mac: 'fa:16:3e:aa:0:2', fixedIps: ['10.1.0.2', '10.1.0.100', '2001:db8::2'],
      allowedAddressPairs: [{ ipAddress: '10.1.8.0/21' }, { ipAddress: '2001:db8:1::/64', macAddress: 'fa:16:3e:bb:00:02' }] }),
    p(3, NX, 'h3', { mac: 'fa:16:3e:aa:00:99', fixedIps: ['10.1.0.3'] }), // a MAC h1's port also claims
    p(4, NX, 'h3', { allowedAddressPairs: [{ ipAddress: '10.1.0.200' }] }),
    // The same (IP, MAC) twice is one claim; the same IP with two MACs is two claims (not answered).
    p(5, NV, 'h1', { fixedIps: ['10.2.0.5'], allowedAddressPairs: [{ ipAddress: '10.2.0.5' }, { ipAddress: '10.2.0.6', macAddress: 'fa:16:3e:bb:00:01' }, { ipAddress: '10.2.0.6' }] }),
    p(6, NV, 'h2', { dhcp: true }), p(7, NF, 'h1', { dhcp: true }), p(8, NF, 'h3'),
  ];
  const ofport = new Map(ports.map((q, i) => [q.id, 20 + i]));
  const hosts = [h1, h2, h3].map((h) => live(h, Object.fromEntries(ports.filter((q) => q.host === h.name).map((q) => [interfaceNameFor(q.id), ofport.get(q.id)!]))));
  const localVlans = ports.map((q) => ({ host: q.host!, networkId: q.networkId, vlan: (q.host === 'h2' ? 100 : 4000) + Number(q.networkId.slice(0, 8)) }));
  return createSnapshot({ hosts, networks: [NX, NV, NF], ports, localVlans });
}

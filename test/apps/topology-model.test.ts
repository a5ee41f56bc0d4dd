import { describe, expect, it } from 'vitest';
import { createSnapshot, interfaceNameFor, localVlanOf, pluggedOfport, type SnapshotInput } from '../../src/topology/model.js';
import { makeHost, makePort } from './snapshot-builder.js';

function input(over: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    hosts: [makeHost(1)],
    networks: [{ id: 'n1', type: 'vxlan', segmentationId: 7 }],
    ports: [makePort('p1', 'n1', 'h1', 1, 10)],
    localVlans: [{ host: 'h1', networkId: 'n1', vlan: 3 }],
    ...over,
  };
}

describe('topology snapshot', () => {
  it('names devices like Neutron: prefix + the first 11 characters of the port id', () => {
    expect(interfaceNameFor('5f0e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe('tap5f0e1c2a-3b');
    expect(interfaceNameFor('5f0e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', 'qvo')).toBe('qvo5f0e1c2a-3b');
  });

  it('looks up local VLANs per (host, network)', () => {
    const s = createSnapshot(input());
    expect(localVlanOf(s, 'h1', 'n1')).toBe(3);
    expect(localVlanOf(s, 'h2', 'n1')).toBeUndefined();
  });

  it('takes a port\'s ofport from the port, else from the host\'s live br-int interfaces', () => {
    const p2 = makePort('p2', 'n1', 'h1', 2);
    const host = { ...makeHost(1), ofports: { 'br-int': { [p2.interfaceName]: 17 } } };
    const s = createSnapshot(input({ hosts: [host], ports: [makePort('p1', 'n1', 'h1', 1, 10), p2, makePort('p3', 'n1', 'h1', 3)] }));
    expect(pluggedOfport(s, s.ports.get('p1')!)).toBe(10);
    expect(pluggedOfport(s, s.ports.get('p2')!)).toBe(17);
    expect(pluggedOfport(s, s.ports.get('p3')!)).toBeUndefined();
  });

  it('refuses dangling references and impossible numbers', () => {
    expect(() => createSnapshot(input({ ports: [makePort('p1', 'nope', 'h1', 1)] }))).toThrow(/unknown network nope/);
    expect(() => createSnapshot(input({ ports: [makePort('p1', 'n1', 'h9', 1)] }))).toThrow(/unknown host h9/);
    expect(() => createSnapshot(input({ networks: [{ id: 'n1', type: 'vlan', physnet: 'p' }] }))).toThrow(/segmentation id/);
    expect(() => createSnapshot(input({ networks: [{ id: 'n1', type: 'flat' }] }))).toThrow(/physnet/);
    expect(() => createSnapshot(input({ localVlans: [{ host: 'h1', networkId: 'n1', vlan: 4095 }] }))).toThrow(/1\.\.4094/);
    expect(() => createSnapshot(input({ ports: [makePort('p1', 'n1', 'h1', 1), makePort('p1', 'n1', 'h1', 2)] }))).toThrow(/duplicate port p1/);
    expect(() => createSnapshot(input({ ports: [makePort('p1', 'n1', 'h1', 1, 10), makePort('p2', 'n1', 'h1', 2, 10)] }))).toThrow(/both claim ofport 10/);
    expect(() => createSnapshot(input({ hosts: [makeHost(1), { ...makeHost(2), tunnelIp: '192.0.2.11' }] }))).toThrow(/duplicate tunnel IP/);
  });

  it('is immutable and does not freeze or share the caller\'s objects', () => {
    const raw = input();
    const s = createSnapshot(raw);
    expect(() => (s.ports as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(() => ((s.ports.get('p1') as { mac: string }).mac = 'x')).toThrow(TypeError);
    expect(() => (s.hosts.get('h1')!.ofports['br-int'] as Record<string, number>)['patch-tun'] = 5).toThrow(TypeError);
    (raw.ports[0] as { mac: string }).mac = 'changed';
    expect(s.ports.get('p1')!.mac).toBe('fa:16:3e:00:00:01');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { interfaceNameFor } from '../../src/topology/model.js';
import { waitFor, type ApiClient, type ApiPort } from './api-client.js';
import { startControllerLab, type ControllerLab } from './controller-lab.js';

// Port security end to end: the controller as the README runs it, 2 lab hosts, VMs that lie about their
// MAC, IP or ARP identity. A port may send only as itself (and its allowed address pairs); a port with
// port_security_enabled=false may send anything.
const HOSTS = ['h1', 'h2'];

describe('port security: a VM can send only from its own MAC and addresses', () => {
  let env: ControllerLab;
  let lab: Lab;
  let api: ApiClient;
  let net: string;
  const ports: Record<string, ApiPort> = {};
  const vms: Record<string, LabVm> = {};
  const ipOf = (name: string): string => ports[name].fixed_ips[0].ip_address;

  async function addVm(name: string, host: string, extra: Record<string, unknown> = {}): Promise<LabVm> {
    const port = (await api.call<{ port: ApiPort }>('POST', '/v2.0/ports', { port: { network_id: net, 'binding:host_id': host, ...extra } })).port;
    ports[name] = port;
    vms[name] = await lab.addVm(host, {
      name, iface: interfaceNameFor(port.id), mac: port.mac_address, portId: port.id, ip: `${port.fixed_ips[0].ip_address}/24`,
    });
    await waitFor(`${name} ACTIVE`, async () => (await api.port(port.id)).status === 'ACTIVE');
    return vms[name];
  }

  /** What `vm` receives on eth0 while `act` runs: tcpdump lines (link-level summary and the rest). */
  async function seenBy(vm: LabVm, filter: string, act: () => Promise<unknown>): Promise<string[]> {
    const capture = await lab.capture({ netns: vm.netns, iface: 'eth0', filter, durationMs: 2500 });
    await act();
    return (await capture.done).map((p) => `${p.ethSrc} > ${p.ethDst} ${p.summary}`);
  }

  const pingFrom = (vm: LabVm, src: string, dst: string): Promise<boolean> =>
    vm.run(['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', '-I', src, dst], { allowFailure: true }).then((r) => r.code === 0);

  beforeAll(async () => {
    env = await startControllerLab({ name: 'psec', hosts: HOSTS });
    ({ api, lab } = env);
    net = await api.createNetwork('net-psec');
    await api.createSubnet(net, '10.40.0.0/24');
    await addVm('liar', 'h1');
    await addVm('peer', 'h2');
    await addVm('witness', 'h1');
    await addVm('pairs', 'h1', { allowed_address_pairs: [{ ip_address: '10.40.0.200' }] });
    await addVm('open', 'h1', { port_security_enabled: false, security_groups: [] });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('carries a VM\'s traffic from its own addresses', async () => {
    expect(await vms.liar.ping(ipOf('peer'), { count: 2 })).toBe(true);
    expect(await vms.witness.ping(ipOf('liar'), { count: 2 })).toBe(true);
  });

  it('drops IP from an address the port does not own; an allowed address pair may be used', async () => {
    await vms.liar.exec('ip', 'addr', 'add', '10.40.0.99/24', 'dev', 'eth0');
    await vms.pairs.exec('ip', 'addr', 'add', '10.40.0.200/24', 'dev', 'eth0');
    const seen = await seenBy(vms.peer, 'icmp', async () => {
      expect(await pingFrom(vms.liar, '10.40.0.99', ipOf('peer'))).toBe(false);
      expect(await pingFrom(vms.pairs, '10.40.0.200', ipOf('peer'))).toBe(true);
    });
    expect(seen.some((l) => l.includes('10.40.0.200 >'))).toBe(true);
    expect(seen.filter((l) => l.includes('10.40.0.99 >'))).toEqual([]);
  });

  it('drops frames from a MAC the port does not own', async () => {
    const fake = 'fa:16:3e:66:66:66';
    await vms.liar.exec('ip', 'link', 'set', 'eth0', 'address', fake);
    try {
      const seen = await seenBy(vms.witness, 'icmp or arp', () => vms.liar.ping(ipOf('witness'), { count: 2 }));
      expect(seen.filter((l) => l.startsWith(fake))).toEqual([]);
    } finally {
      await vms.liar.exec('ip', 'link', 'set', 'eth0', 'address', vms.liar.mac);
    }
    expect(await vms.liar.ping(ipOf('witness'), { count: 2 })).toBe(true);
  });

  it('drops ARP that claims another port\'s address, not the port\'s own announcements', async () => {
    const arpingAs = (ip: string) => vms.liar.run(['arping', '-U', '-S', ip, '-i', 'eth0', '-c', '2', '-w', '1', ip], { allowFailure: true });
    const seen = await seenBy(vms.witness, 'arp', async () => {
      await arpingAs(ipOf('peer'));
      await arpingAs(ipOf('liar'));
    });
    expect(seen.some((l) => l.startsWith(vms.liar.mac) && l.includes(ipOf('liar')))).toBe(true);
    expect(seen.filter((l) => l.includes(ipOf('peer')))).toEqual([]);
  });

  it('lets a port without port security send from any address', async () => {
    await vms.open.exec('ip', 'addr', 'add', '10.40.0.98/24', 'dev', 'eth0');
    const seen = await seenBy(vms.peer, 'icmp', () => pingFrom(vms.open, '10.40.0.98', ipOf('peer')));
    expect(seen.some((l) => l.includes('10.40.0.98 >'))).toBe(true);
  });

  it('applies a change of port_security_enabled at once', async () => {
    await api.call('PUT', `/v2.0/ports/${ports.open.id}`, { port: { port_security_enabled: true, security_groups: [] } });
    await waitFor('the spoofed source dropped', async () => !(await pingFrom(vms.open, '10.40.0.98', ipOf('peer'))), 10_000);
    expect(await vms.open.ping(ipOf('peer'), { count: 2 })).toBe(true);
  });
});

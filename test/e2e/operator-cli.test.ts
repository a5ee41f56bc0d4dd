import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type LabVm } from '../../src/lab/index.js';
import { cleanEnv, freePort, neutrino, NeutrinoRun, OPENSTACK, openstackCli, until, type CmdResult } from './operator-tools.js';

/**
 * The whole L2 path driven only as an operator would: `neutrino run` (its own process, token auth), a bare
 * 2-host OVS lab (bridges not pointed at any controller), `neutrino join` on each host, then nothing but the
 * stock `openstack` CLI for networks and ports. Real packets between VM namespaces prove the result.
 */
const HOSTS = ['h1', 'h2'] as const;
const TOKEN = 'operator-admin-token';
const CIDR = '10.20.0.0/24';

interface OscPort {
  id: string;
  name: string;
  status: string;
  mac_address: string;
  binding_host_id: string;
  network_id: string;
  fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
}

describe('operator workflow: neutrino run + neutrino join + the stock openstack CLI', { timeout: 120_000 }, () => {
  let tmp: string;
  let ctl: NeutrinoRun;
  let lab: Lab;
  let ofPort: number;
  let osc: (...args: string[]) => Promise<CmdResult>;
  /** Per host: the unix target its vswitchd reaches the root-netns controller through. */
  const controllerTarget: Record<string, string> = {};
  const ports: Record<string, OscPort> = {};
  const vms: Record<string, LabVm> = {};

  async function ok(...args: string[]): Promise<string> {
    const r = await osc(...args);
    if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n--- controller log:\n${ctl.output}`);
    return r.stdout;
  }
  const json = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '-f', 'json')) as T;
  const portShow = (name: string): Promise<OscPort> => json<OscPort>('port', 'show', name);

  beforeAll(async () => {
    if (!existsSync(OPENSTACK)) {
      throw new Error(`${OPENSTACK} is missing: apt-get install -y python3-openstackclient (scripts/test.sh does this)`);
    }
    tmp = mkdtempSync(join(tmpdir(), 'neutrino-operator-'));
    const tokens = join(tmp, 'tokens.json');
    writeFileSync(tokens, JSON.stringify({ [TOKEN]: { project_id: 'ops', role: 'admin' } }));
    const apiPort = await freePort();
    ofPort = await freePort();
    ctl = new NeutrinoRun({ db: join(tmp, 'neutrino.db'), apiPort, ofPort, tokens });
    // The controller and the lab boot in parallel, as they would on separate machines.
    const [ctlUp, labUp] = await Promise.allSettled([ctl.start(), Lab.start({ name: 'opcli', hosts: [...HOSTS], controller: null })]);
    if (labUp.status === 'fulfilled') lab = labUp.value; // so afterAll stops it even if the controller failed
    if (ctlUp.status === 'rejected') throw ctlUp.reason;
    if (labUp.status === 'rejected') throw labUp.reason;
    osc = openstackCli(ctl.apiUrl, TOKEN);
    for (const h of HOSTS) {
      // Setting the controller is `neutrino join`'s job: the lab only provides the target to give it.
      controllerTarget[h] = await lab.controllerTarget(h, `tcp:127.0.0.1:${ofPort}`);
    }
  });

  afterAll(async () => {
    await lab?.stop();
    await ctl?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('joins each bare host with `neutrino join` (OVS_RUNDIR, netdev), which wires OVS and registers it', async () => {
    for (const h of HOSTS) {
      expect((await lab.host(h).vsctl('get-controller', 'br-int')).trim()).toBe('');
      const r = await neutrino(
        ['join', '--name', h, '--tunnel-ip', lab.tunnelIp(h), '--controller', controllerTarget[h], '--datapath-type', 'netdev',
          '--api', ctl.apiUrl, '--token', TOKEN],
        cleanEnv(lab.host(h).env),
      );
      expect(r.stderr, r.stdout).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`br-tun: port vxlan-flow added (type=vxlan remote_ip=flow key=flow local_ip=${lab.tunnelIp(h)})`);
      expect(r.stdout).toContain('registration: created\n');
    }
    // Both bridges of both hosts hold an OpenFlow session with the controller process.
    for (const h of HOSTS) {
      for (const br of ['br-int', 'br-tun']) {
        expect((await lab.host(h).vsctl('get-controller', br)).trim()).toBe(controllerTarget[h]);
        await until(`${h} ${br} connected`, async () => (await lab.host(h).vsctl('get', 'controller', br, 'is_connected')).trim() === 'true', 15_000);
      }
    }
  });

  it('creates a vxlan network, a subnet and two bound ports with the openstack CLI', async () => {
    const net = await json('network', 'create', 'op-net');
    expect(net).toMatchObject({ name: 'op-net', status: 'ACTIVE', 'provider:network_type': 'vxlan', project_id: 'ops' });
    expect(net['provider:segmentation_id']).toEqual(expect.any(Number));
    const subnet = await json('subnet', 'create', 'op-sub', '--network', 'op-net', '--subnet-range', CIDR);
    expect(subnet).toMatchObject({ cidr: CIDR, network_id: net.id, gateway_ip: '10.20.0.1' });

    for (const [name, host] of [['vm1', 'h1'], ['vm2', 'h2']] as const) {
      const created = await json<OscPort>('port', 'create', `${name}-port`, '--network', 'op-net', '--host', host);
      const shown = await portShow(created.id);
      expect(shown).toMatchObject({ id: created.id, binding_host_id: host, network_id: net.id, status: 'DOWN' });
      expect(shown.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
      expect(shown.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: expect.stringMatching(/^10\.20\.0\.\d+$/) }]);
      ports[name] = shown;
    }
    expect(ports.vm1.fixed_ips[0].ip_address).not.toBe(ports.vm2.fixed_ips[0].ip_address);
  });

  it('plugs a VM per port; the ports turn ACTIVE in `openstack port show` and the VMs ping across hosts', async () => {
    for (const [name, host] of [['vm1', 'h1'], ['vm2', 'h2']] as const) {
      const p = ports[name];
      vms[name] = await lab.addVm(host, {
        name, iface: `tap${p.id.slice(0, 11)}`, mac: p.mac_address, ip: `${p.fixed_ips[0].ip_address}/24`, portId: p.id,
      });
    }
    for (const name of ['vm1', 'vm2']) {
      await until(`${name}-port ACTIVE`, async () => (await portShow(`${name}-port`)).status === 'ACTIVE', 20_000, 100);
    }
    const [ip1, ip2] = [ports.vm1.fixed_ips[0].ip_address, ports.vm2.fixed_ips[0].ip_address];
    await until('vm1 -> vm2 ping', () => vms.vm1.ping(ip2, { count: 1 }), 10_000);
    expect(await vms.vm1.ping(ip2, { count: 3 })).toBe(true);
    expect(await vms.vm2.ping(ip1, { count: 3 })).toBe(true);
    // The traffic crossed the tunnel that `neutrino join` added: both flow-based VXLAN ports counted packets
    // (OVS refreshes interface statistics every 5 s).
    for (const h of HOSTS) {
      await until(`${h} vxlan-flow tx/rx packets`, async () => {
        const [tx, rx] = await Promise.all(['tx_packets', 'rx_packets'].map(async (c) =>
          Number((await lab.host(h).vsctl('get', 'interface', 'vxlan-flow', `statistics:${c}`)).trim())));
        return tx > 0 && rx > 0;
      }, 8_000, 500);
    }
  });

  it('`openstack port delete` cuts VM2 off', async () => {
    const ip2 = ports.vm2.fixed_ips[0].ip_address;
    await ok('port', 'delete', 'vm2-port');
    const gone = await osc('port', 'show', 'vm2-port');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No Port found for vm2-port/);
    // Flows follow the store asynchronously: wait for the first lost ping, then it must stay lost.
    await until('vm1 -> vm2 ping to fail', async () => !(await vms.vm1.ping(ip2, { count: 1 })), 10_000, 100);
    expect(await vms.vm1.ping(ip2, { count: 3 })).toBe(false);
    expect(await vms.vm2.ping(ports.vm1.fixed_ips[0].ip_address, { count: 2 })).toBe(false);
    expect((await portShow('vm1-port')).status).toBe('ACTIVE');
  });

  it('shows a refused request readably: a fixed IP outside the subnet', async () => {
    const r = await osc('port', 'create', 'bad-port', '--network', 'op-net', '--fixed-ip', 'subnet=op-sub,ip-address=10.99.0.5');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/BadRequestException: 400.*IP address 10\.99\.0\.5 is not a valid IP for the specified subnet/);
    const names = (await json<Array<{ Name: string }>>('port', 'list')).map((p) => p.Name);
    expect(names).toEqual(['vm1-port']);
  });

  it('stops the controller cleanly (SIGTERM -> exit 0)', async () => {
    expect(await ctl.stop()).toBe(0);
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, TestApi, type Json } from './harness.js';

/**
 * End to end with Debian's stock `openstack` CLI (python3-openstackclient, installed by scripts/test.sh), pointed
 * at the real server with admin_token auth. Every command costs about a second of Python start-up.
 */
const OPENSTACK = '/usr/bin/openstack';
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the stock openstack CLI against the API', { timeout: 180_000 }, () => {
  let api: TestApi;
  let env: NodeJS.ProcessEnv;

  async function osc(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(OPENSTACK, args, { env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
    }
  }

  async function ok(...args: string[]): Promise<string> {
    const r = await osc(...args);
    if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  const json = async (...args: string[]): Promise<Json> => JSON.parse(await ok(...args, '-f', 'json'));

  beforeAll(async () => {
    if (!existsSync(OPENSTACK)) {
      throw new Error(`${OPENSTACK} is missing: apt-get install -y python3-openstackclient (scripts/test.sh does this)`);
    }
    api = await TestApi.start();
    // /usr/bin/python3 via the script's shebang; drop any OS_* the developer's shell has.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
    Object.assign(env, { OS_AUTH_TYPE: 'admin_token', OS_ENDPOINT: api.url, OS_TOKEN: ADMIN });
  });
  afterAll(() => api?.stop());

  it('creates, lists, shows and updates networks and subnets, and shows an overlap error readably', async () => {
    const net = await json('network', 'create', 'cli-net');
    expect(net).toMatchObject({ name: 'cli-net', status: 'ACTIVE', 'provider:network_type': 'vxlan' });
    await ok('network', 'create', 'cli-ext', '--external', '--provider-network-type', 'flat', '--provider-physical-network', 'physnet1');
    await ok('network', 'set', 'cli-net', '--description', 'from the cli');
    expect((await json('network', 'show', 'cli-net')).description).toBe('from the cli');
    const names = (await json('network', 'list')).map((n: { Name: string }) => n.Name);
    expect(names).toEqual(['cli-net', 'cli-ext']);

    const subnet = await json('subnet', 'create', 'cli-sub', '--network', 'cli-net', '--subnet-range', '192.0.2.0/24');
    expect(subnet).toMatchObject({ cidr: '192.0.2.0/24', gateway_ip: '192.0.2.1', network_id: net.id });
    await ok('subnet', 'create', 'cli-ext-sub', '--network', 'cli-ext', '--subnet-range', '198.51.100.0/24', '--no-dhcp');
    await ok('subnet', 'set', 'cli-sub', '--dns-nameserver', '192.0.2.53');
    expect((await json('subnet', 'show', 'cli-sub')).dns_nameservers).toEqual(['192.0.2.53']);

    const overlap = await osc('subnet', 'create', 'bad', '--network', 'cli-net', '--subnet-range', '192.0.2.128/25');
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toMatch(/BadRequestException: 400.*overlaps with another subnet/);
  });

  it('creates, lists, updates ports with fixed IPs and security groups, and shows a taken-IP error readably', async () => {
    const sg = await json('security', 'group', 'create', 'cli-web');
    expect(sg.name).toBe('cli-web');
    await ok('security', 'group', 'rule', 'create', 'cli-web', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0');
    await ok('security', 'group', 'rule', 'create', 'cli-web', '--remote-group', 'cli-web');
    await ok('security', 'group', 'rule', 'create', 'cli-web', '--egress', '--ethertype', 'IPv6', '--protocol', 'udp', '--dst-port', '53');
    const rules = await json('security', 'group', 'rule', 'list', 'cli-web');
    expect(rules).toHaveLength(5); // two default egress rules + three

    const port = await json('port', 'create', 'cli-port', '--network', 'cli-net', '--fixed-ip', 'subnet=cli-sub,ip-address=192.0.2.10',
      '--security-group', 'cli-web');
    expect(port.fixed_ips).toEqual([{ subnet_id: expect.any(String), ip_address: '192.0.2.10' }]);
    expect(port.security_group_ids).toEqual([sg.id]);
    await ok('port', 'set', 'cli-port', '--name', 'cli-port2');
    const ports = await json('port', 'list', '--network', 'cli-net');
    expect(ports.map((p: { Name: string }) => p.Name)).toEqual(['cli-port2']);

    const taken = await osc('port', 'create', 'dup', '--network', 'cli-net', '--fixed-ip', 'subnet=cli-sub,ip-address=192.0.2.10');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/ConflictException: 409.*192\.0\.2\.10 already allocated/);
  });

  it('creates a router with an interface and a gateway, and a floating IP on the port', async () => {
    await ok('router', 'create', 'cli-router');
    await ok('router', 'add', 'subnet', 'cli-router', 'cli-sub');
    await ok('router', 'set', 'cli-router', '--external-gateway', 'cli-ext');
    const router = await json('router', 'show', 'cli-router');
    expect(router.external_gateway_info.external_fixed_ips[0].ip_address).toBe('198.51.100.2');
    expect(router.interfaces_info).toEqual([expect.objectContaining({ ip_address: '192.0.2.1' })]);

    const fip = await json('floating', 'ip', 'create', 'cli-ext', '--port', 'cli-port2');
    expect(fip).toMatchObject({ floating_ip_address: '198.51.100.3', fixed_ip_address: '192.0.2.10', router_id: router.id });
    expect((await json('floating', 'ip', 'list')).map((f: { 'Floating IP Address': string }) => f['Floating IP Address'])).toEqual(['198.51.100.3']);

    const blocked = await osc('router', 'remove', 'subnet', 'cli-router', 'cli-sub');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/409.*required by one or more floating IPs/);
    await ok('floating', 'ip', 'unset', '--port', fip.id);
    expect((await json('floating', 'ip', 'show', fip.id)).port_id).toBeNull();
    await ok('floating', 'ip', 'delete', fip.id);
  });

  it('shows errors readably: a network with ports, and a name that does not exist', async () => {
    const inUse = await osc('network', 'delete', 'cli-net');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/ConflictException: 409.*one or more ports still in use/);
    const missing = await osc('network', 'show', 'no-such-net');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No Network found for no-such-net/);
  });

  it('deletes everything again', async () => {
    await ok('router', 'unset', '--external-gateway', 'cli-router');
    await ok('router', 'remove', 'subnet', 'cli-router', 'cli-sub');
    await ok('router', 'delete', 'cli-router');
    await ok('port', 'delete', 'cli-port2');
    await ok('security', 'group', 'delete', 'cli-web');
    await ok('subnet', 'delete', 'cli-sub');
    await ok('network', 'delete', 'cli-net', 'cli-ext');
    expect(await json('network', 'list')).toEqual([]);
    expect(await json('router', 'list')).toEqual([]);
    expect(await json('port', 'list')).toEqual([]);
  });

  it('works with --os-auth-type none through version discovery, against a no-auth server', async () => {
    const open = await TestApi.start({ auth: { mode: 'none', projectId: 'lab' } });
    try {
      const bare = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('OS_')));
      const args = ['--os-auth-type', 'none', '--os-endpoint', open.url, 'network', 'create', 'via-none', '-f', 'json'];
      const { stdout } = await run(OPENSTACK, args, { env: bare, timeout: 30_000 });
      expect(JSON.parse(stdout)).toMatchObject({ name: 'via-none', project_id: 'lab' });
      // The token server refuses "notused", the token the none plugin sends, readably.
      const refused = await run(OPENSTACK, ['--os-auth-type', 'none', '--os-endpoint', api.url, 'network', 'list'], { env: bare })
        .catch((e: { stderr: string }) => ({ stderr: e.stderr }));
      expect(refused.stderr).toMatch(/401.*Authentication required/);
    } finally {
      await open.stop();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiServer, type ApiServer } from '../../src/api/index.js';
import { TOKEN_ENV } from '../../src/cli/join.js';
import { openStore, type Store } from '../../src/store/index.js';
import { runJoinCli } from './cli-run.js';
import { configSnapshot, controllers, listBridges } from './ovs-readback.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

const ADMIN_TOKEN = 'join-admin-token';
const MEMBER_TOKEN = 'join-member-token';

/** `neutrino join` end to end: a private OVS and the real API server over a real store. */
describe('join registers the host through the API', () => {
  let ovs: OvsSandbox;
  let store: Store;
  let api: ApiServer;
  let apiUrl: string;
  let storeDir: string;

  const args = (...extra: string[]): string[] => [
    '--name', 'compute-3', '--tunnel-ip', '192.0.2.33', '--controller', 'tcp:127.0.0.1:6653',
    '--bridge-mapping', 'physnet1:br-ex', '--db', ovs.db, '--api', apiUrl, ...extra,
  ];
  const storedHost = async (name: string) => {
    const res = await fetch(`${apiUrl}/v1/hosts/${name}`, { headers: { 'x-auth-token': ADMIN_TOKEN } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { host: Record<string, unknown> }).host;
  };
  const vsctl = (...a: string[]): string => ovs.vsctl(...a);

  beforeAll(async () => {
    ovs = await OvsSandbox.start();
    storeDir = mkdtempSync(join(tmpdir(), 'neutrino-join-api-'));
    store = openStore(join(storeDir, 'neutrino.db'));
    api = await createApiServer({
      store,
      port: 0,
      logger: false,
      auth: {
        mode: 'token',
        tokens: { [ADMIN_TOKEN]: { project_id: 'admin', role: 'admin' }, [MEMBER_TOKEN]: { project_id: 'demo', role: 'member' } },
      },
    });
    apiUrl = await api.listen();
  });
  afterAll(async () => {
    await api?.close();
    store?.close();
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
    await ovs?.stop();
    vi.unstubAllEnvs();
  });

  it('creates the host record with name, tunnel IP and bridge mappings (token from the environment)', async () => {
    vi.stubEnv(TOKEN_ENV, ADMIN_TOKEN);
    const r = await runJoinCli(args());
    vi.unstubAllEnvs();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/br-int: created\n[\s\S]*registration: created\n$/);
    expect(await storedHost('compute-3')).toMatchObject({
      name: 'compute-3', tunnel_ip: '192.0.2.33', bridge_mappings: { physnet1: 'br-ex' },
    });
  });

  it('leaves the record untouched when run again', async () => {
    const before = await storedHost('compute-3');
    const r = await runJoinCli(args('--token', ADMIN_TOKEN));
    expect(r).toEqual({ code: 0, err: '', out: 'OVS already configured, nothing changed\nregistration: unchanged\n' });
    expect(await storedHost('compute-3')).toEqual(before);
  });

  it('updates the record and OVS when the bridge mappings change', async () => {
    const before = await storedHost('compute-3');
    const r = await runJoinCli(args('--token', ADMIN_TOKEN, '--bridge-mapping', 'physnet2:br-eth1'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('br-eth1: created\n');
    expect(r.out).toMatch(/registration: updated\n$/);
    const after = await storedHost('compute-3');
    expect(after).toMatchObject({ id: before.id, bridge_mappings: { physnet1: 'br-ex', physnet2: 'br-eth1' } });
    expect(await listBridges(vsctl)).toEqual(['br-eth1', 'br-ex', 'br-int', 'br-tun']);
  });

  it('fails with the API\'s reason when the token may not register hosts', async () => {
    const r = await runJoinCli([...args('--token', MEMBER_TOKEN).map((a) => (a === 'compute-3' ? 'compute-4' : a))]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^neutrino join: GET http:\/\/127\.0\.0\.1:\d+\/v1\/hosts\/compute-4 answered 403: /);
  });

  it('fails clearly when the API is unreachable, after configuring OVS', async () => {
    const port = await closedPort();
    const r = await runJoinCli(args('--token', ADMIN_TOKEN, '--api', `http://127.0.0.1:${port}`, '--controller', 'tcp:127.0.0.1:6656'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^neutrino join: GET http://127\\.0\\.0\\.1:${port}/v1/hosts/compute-3 failed: fetch failed: .*ECONNREFUSED`));
    expect(await controllers(vsctl, 'br-int')).toEqual(['tcp:127.0.0.1:6656']);
  });

  it('with --no-register, configures OVS only and does not call the API', async () => {
    const r = await runJoinCli(args('--no-register', '--controller', 'tcp:127.0.0.1:6655', '--api', `http://127.0.0.1:${await closedPort()}`));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/registration: skipped\n$/);
    expect(await controllers(vsctl, 'br-int')).toEqual(['tcp:127.0.0.1:6655']);
  });

  it('rejects invalid options before touching OVS or the API', async () => {
    const before = await configSnapshot(vsctl);
    for (const [bad, reason] of [
      [['--tunnel-ip', '192.0.2.300'], 'tunnel IP "192.0.2.300" is not an IPv4 or IPv6 address'],
      [['--controller', '192.0.2.1:6653'], 'controller "192.0.2.1:6653" must look like tcp:IP:PORT, ssl:IP:PORT or unix:/path'],
      [['--bridge-mapping', 'physnet9:br-int'], 'br-int cannot be a provider bridge'],
      [['--bridge-mapping', 'physnet1:br-eth9'], 'physical network physnet1 is mapped twice'],
      [['--bridge-mapping', 'physnet9:br-ex'], 'bridge br-ex is mapped to two physical networks'],
      [['--bridge-mapping', 'physnet9:br-much-too-long'], 'bridge name "br-much-too-long" must match'],
      [['--name', 'two words'], 'host name "two words" must match'],
    ] as const) {
      const r = await runJoinCli(args('--token', ADMIN_TOKEN, ...bad));
      expect(r.code).toBe(1);
      expect(r.err).toContain(`neutrino join: ${reason}`);
    }
    expect(await configSnapshot(vsctl)).toBe(before);
  });
});

/** A local port nothing listens on (taken from the kernel, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startController, type Controller } from '../../src/controller/index.js';
import { inspectFlows, type ReconcileResult } from '../../src/reconciler/index.js';
import { capturingLogger } from '../switch/harness.js';
import { sleep } from '../switch-lab/lab-controller.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

const INT = 'h1/br-int';
const ADMIN = 'admin-token';
const MEMBER = 'member-token';
/** A flow someone added by hand with one of our cookies (app 2): ours to delete. */
const STRAY = 'cookie=0x20000000abcde,table=0,priority=999,ip,nw_dst=203.0.113.9,actions=drop';
/** An operator's flow (cookie 0, not ours): the audit must leave it alone. */
const OPERATOR = 'table=0,priority=998,ip,nw_dst=203.0.113.10,actions=drop';

/** `del-flows --strict` arguments for a `dump-flows --no-stats` line: its table, priority and match. */
function strictMatch(line: string): string {
  const m = line.split(' actions=')[0].replace(/^cookie=[^,]+, /, '').replace(/, /g, ',');
  return m.startsWith('table=') ? m : `table=0,${m}`; // dump-flows leaves out table 0
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('periodic audit and on-demand resync repair drift (real ovs-vswitchd, controller in-process)', () => {
  let ovs: OvsSandbox;
  let ctl: Controller;
  let dir: string;
  const { log, lines } = capturingLogger();
  const audits: ReconcileResult[] = [];
  const auditedBridges = new Set<string>();

  /** Our desired br-int flows as dump-flows prints them. */
  const desiredLines = async (): Promise<string[]> =>
    (await inspectFlows(ctl.reconciler, INT, ctl.server.switches.get(INT))).desired.map((l) => l.trim()).sort();
  const api = (method: string, path: string, token = ADMIN, body?: unknown): Promise<Response> =>
    fetch(`${ctl.apiUrl}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const bundled = (): number => ctl.server.switches.get(INT)!.sentCounts.get('bundle_add_message') ?? 0;

  beforeAll(async () => {
    ovs = await OvsSandbox.start();
    dir = mkdtempSync(join(tmpdir(), 'neutrino-audit-'));
    ctl = await startController(
      {
        dbPath: join(dir, 'neutrino.db'),
        apiHost: '127.0.0.1',
        apiPort: 0,
        ofHost: '127.0.0.1',
        ofPort: 0,
        auth: { mode: 'token', tokens: { [ADMIN]: { project_id: 'admin', role: 'admin' }, [MEMBER]: { project_id: 'demo', role: 'member' } } },
        auditIntervalMs: 200,
      },
      log,
    );
    ctl.audit.audited$.subscribe((r) => {
      auditedBridges.add(r.bridge);
      if (r.bridge === INT) audits.push(r);
    });
    const created = await api('POST', '/v1/hosts', ADMIN, { host: { name: 'h1', tunnel_ip: '192.0.2.11', bridge_mappings: {} } });
    expect(created.status).toBe(201);
    // A network with two VMs plugged on h1, so br-int holds a few dozen flows of several apps.
    const net = (await (await api('POST', '/v2.0/networks', ADMIN, { network: { name: 'net-a' } })).json()) as { network: { id: string } };
    await api('POST', '/v2.0/subnets', ADMIN, { subnet: { network_id: net.network.id, cidr: '10.0.0.0/24', ip_version: 4 } });
    const plug: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = { network_id: net.network.id, 'binding:host_id': 'h1' };
      const created = (await (await api('POST', '/v2.0/ports', ADMIN, { port })).json()) as { port: { id: string } };
      const tap = `tap${created.port.id.slice(0, 11)}`;
      plug.push('--', 'add-port', 'br-int', tap, '--', 'set', 'interface', tap, 'type=dummy');
    }
    ovs.addBridge('br-int', 'h1 br-int', ctl.ofPort, '00000000000000a1');
    ovs.vsctl(...plug);
    ovs.addBridge('br-tun', 'h1 br-tun', ctl.ofPort, '00000000000000a2');
    await until('br-int programmed with the VMs and audited', async () => {
      const want = await desiredLines();
      return audits.length > 0 && want.length >= 10 && ovs.dumpFlows('br-int').join('\n') === want.join('\n');
    });
    ovs.ofctl('add-flow', 'br-int', OPERATOR);
  });

  afterAll(async () => {
    await ctl?.stop();
    await ovs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('repairs flows deleted and added by hand, sending only the drift, and a quiet audit sends nothing', async () => {
    const want = await desiredLines();
    expect(want.length).toBeGreaterThanOrEqual(10);
    expect(ovs.dumpFlows('br-int')).toEqual([...want, ovs.dumpFlows('br-int').find((l) => l.includes('203.0.113.10'))!].sort());
    const before = bundled();
    const from = audits.length;
    const gone = [want[0], want[Math.floor(want.length / 2)], want[want.length - 1]];
    for (const line of gone) ovs.ofctl('del-flows', 'br-int', '--strict', strictMatch(line));
    ovs.ofctl('add-flow', 'br-int', STRAY);

    // Audits may split the repair (one may run between two of the commands above): sum them.
    const since = (): ReconcileResult[] => audits.slice(from);
    const sum = (k: 'added' | 'modified' | 'removed' | 'flowMods'): number => since().reduce((n, r) => n + r[k], 0);
    await until('the drift repaired and a quiet audit after it', () => sum('flowMods') >= 4 && since().at(-1)!.flowMods === 0);
    expect({ added: sum('added'), modified: sum('modified'), removed: sum('removed'), flowMods: sum('flowMods') })
      .toEqual({ added: 3, modified: 0, removed: 1, flowMods: 4 });
    expect(bundled() - before).toBe(4); // the drift, and nothing else, went to the switch

    const dumped = ovs.dumpFlows('br-int');
    expect(dumped.filter((l) => !l.includes('203.0.113.10'))).toEqual(want);
    expect(dumped.filter((l) => l.includes('203.0.113.10'))).toHaveLength(1); // the operator's flow stays

    const quiet = audits.length;
    await until('two more audits', () => audits.length >= quiet + 2);
    expect(audits.slice(quiet).map((r) => r.flowMods)).toEqual(audits.slice(quiet).map(() => 0));
    expect(bundled() - before).toBe(4);
  });

  it('logs a repair at warn with its counts and counts it in the Prometheus metrics', async () => {
    const warned = lines().filter((l) => l.msg === 'audit found flows that drifted from the desired set and repaired them');
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(warned[0]).toMatchObject({ level: 40, bridge: INT });
    expect(warned.reduce((n, l) => n + (l.flowMods as number), 0)).toBe(4);
    const text = await (await api('GET', '/v1/metrics')).text();
    const metric = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(metric('neutrino_audit_repairs_total')).toBe(warned.length);
    expect(metric('neutrino_audit_flows_repaired_total')).toBe(4);
    expect(metric('neutrino_audits_total')).toBeGreaterThan(warned.length);
    expect(metric('neutrino_reconcile_failures_total')).toBe(0);
    // br-tun is audited too.
    expect([...auditedBridges].sort()).toEqual(['h1/br-int', 'h1/br-tun']);
  });

  it('POST /v1/hosts/{host}/bridges/{bridge}/resync repairs now and returns the counts', async () => {
    ctl.audit.stop(); // from here on only the API audits
    await sleep(300);
    const want = await desiredLines();
    const forwarding = want.filter((l) => / actions=output:\d+$/.test(l));
    ovs.ofctl('del-flows', 'br-int', '--strict', strictMatch(forwarding[0]));
    ovs.ofctl('mod-flows', 'br-int', '--strict', `${strictMatch(forwarding[1])},actions=drop`);
    const before = bundled();

    const res = await api('POST', '/v1/hosts/h1/bridges/br-int/resync');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ bridge: INT, trigger: 'audit', added: 1, modified: 1, removed: 0, flowMods: 2 });
    expect(bundled() - before).toBe(2);
    expect(ovs.dumpFlows('br-int').filter((l) => !l.includes('203.0.113.10'))).toEqual(want);

    const again = await api('POST', '/v1/hosts/h1/bridges/br-int/resync');
    expect(await again.json()).toMatchObject({ added: 0, modified: 0, removed: 0, flowMods: 0 });
    expect(bundled() - before).toBe(2);
  });

  it('resync: 403 for a member, 404 for an unknown host or bridge, and listed in the OpenAPI document', async () => {
    const member = await api('POST', '/v1/hosts/h1/bridges/br-int/resync', MEMBER);
    expect(member.status).toBe(403);
    expect(await member.json()).toMatchObject({ NeutronError: { type: 'PolicyNotAuthorized' } });
    const noHost = await api('POST', '/v1/hosts/nobody/bridges/br-int/resync');
    expect(noHost.status).toBe(404);
    expect(await noHost.json()).toMatchObject({ NeutronError: { type: 'HostNotFound' } });
    const noBridge = await api('POST', '/v1/hosts/h1/bridges/br-nope/resync');
    expect(noBridge.status).toBe(404);
    expect(await noBridge.json()).toMatchObject({ NeutronError: { type: 'BridgeNotFound' } });
    const doc = (await (await api('GET', '/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/v1/hosts/{id}/bridges/{bridge}/resync']).toHaveProperty('post');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { Reconciler, type PushFailure } from '../../src/reconciler/reconciler.js';
import { BundleMessageError } from '../../src/switch/errors.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { capturingLogger, nextUp, startServer } from '../switch/harness.js';
import { labFlows, sleep, withTimeout } from '../switch-lab/lab-controller.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

const BRIDGE = 'h1/br-int';
const LIMIT = 10;
const WANT = 25;
/** Fast backoff so the test sees several retries: 100, 200, 400, 400 … ms. */
const BACKOFF = { initialMs: 100, maxMs: 400 };

describe('a push the switch refuses is retried with backoff until it succeeds (real ovs-vswitchd)', () => {
  let ovs: OvsSandbox;
  let server: OpenFlowServer;
  let lines: () => Array<Record<string, unknown>>; // the sessions' log (the reconciler logs on each switch's logger)
  const rec = new Reconciler(capturingLogger().log, { retry: BACKOFF });
  const failures: PushFailure[] = [];
  rec.failed$.subscribe((f) => failures.push(f));
  let session: SwitchSession;
  let flowTable = '';

  const retryLogs = (): Array<Record<string, unknown>> => lines().filter((l) => l.msg === 'reconcile failed; retrying');
  const attachNext = async (): Promise<SwitchSession> => {
    const s = await withTimeout(nextUp(server, BRIDGE), 20_000, `${BRIDGE} did not connect`);
    await rec.attach(s);
    return s;
  };

  beforeAll(async () => {
    ({ server, lines } = await startServer({ session: { echoIntervalMs: 2000, deadAfterMs: 10_000 } }));
    ovs = await OvsSandbox.start();
    const up = attachNext();
    ovs.addBridge('br0', 'h1 br-int', server.port);
    session = await up;
    // Table 0 (where the flows below go) holds at most LIMIT flows and refuses more, rather than evicting.
    flowTable = ovs
      .vsctl('--', '--id=@ft', 'create', 'Flow_Table', `flow_limit=${LIMIT}`, 'overflow_policy=refuse', '--', 'set', 'bridge', 'br0', 'flow_tables:0=@ft')
      .trim();
  });

  afterAll(async () => {
    await server?.close();
    await ovs?.stop();
  });

  it('fails the push, logs it once with the refused flow, and retries with doubling delays', async () => {
    const flows = labFlows(WANT, 0, 0x2000000000001n);
    const err = await rec.setDesired(BRIDGE, flows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleMessageError);
    expect((err as BundleMessageError).errorName).toMatch(/TABLE_FULL/);
    expect((err as BundleMessageError).subject).toMatch(/^add cookie=0x2000000000001, priority=100,ip,nw_src=/);
    expect(ovs.dumpFlows('br0')).toEqual([]); // the bundle was not applied

    const started = Date.now();
    while (retryLogs().length < 5 && Date.now() - started < 10_000) await sleep(50); // the push + 4 retries
    const logged = retryLogs();
    expect(logged.length).toBeGreaterThanOrEqual(5);
    expect(logged.length).toBe(failures.length); // one line per failure, nothing else logs it
    expect(logged.slice(0, 5).map((l) => l.retryInMs)).toEqual([100, 200, 400, 400, 400]);
    for (const l of logged) expect(l.flow).toMatch(/^add cookie=0x2000000000001, priority=100,ip,nw_src=/);
    expect(lines().filter((l) => typeof l.msg === 'string' && /refused|reconcile failed/.test(l.msg) && l.msg !== 'reconcile failed; retrying')).toEqual([]);
  });

  it('installs the set once the switch accepts it, without a new setDesired, and stops retrying', async () => {
    const retried = firstValueFrom(rec.retried$);
    ovs.vsctl('set', 'Flow_Table', flowTable, `flow_limit=${WANT + 10}`);
    const result = await withTimeout(retried, 5000, 'no successful retry');
    expect(result).toMatchObject({ trigger: 'retry', added: WANT, removed: 0, flowMods: WANT });
    const desired = rec.desired(BRIDGE).length;
    expect(ovs.dumpFlows('br0')).toHaveLength(desired);
    const inspected = await rec.resync(BRIDGE);
    expect(inspected).toMatchObject({ flowMods: 0, unchanged: WANT });
    const failed = failures.length;
    await sleep(2 * BACKOFF.maxMs);
    expect(failures.length).toBe(failed); // success reset the backoff: no retry is pending
  });

  it('starts over at the first delay after a success, and stops retrying when the session closes', async () => {
    ovs.vsctl('set', 'Flow_Table', flowTable, `flow_limit=${LIMIT}`);
    const more = labFlows(WANT + 5, 0, 0x2000000000001n);
    await expect(rec.setDesired(BRIDGE, more)).rejects.toBeInstanceOf(BundleMessageError);
    const first = await firstValueFrom(rec.failed$);
    expect(first.retryInMs).toBe(2 * BACKOFF.initialMs); // the push failed at 100 ms; this is the first retry's failure
    // Drop the connection: the closed session's retries stop (the reconnect's attach repairs), even
    // while the new connection is not attached yet.
    const again = nextUp(server, BRIDGE);
    session.close('test: reconnect');
    const failed = failures.length;
    session = await withTimeout(again, 20_000, 'no reconnect');
    await sleep(3 * BACKOFF.maxMs);
    expect(failures.length).toBe(failed);
    // The attach fails the same way and starts a new backoff for the new session.
    const attached = rec.attach(session).catch((e: unknown) => e);
    expect(await attached).toBeInstanceOf(BundleMessageError);
    const afterAttach = failures.at(-1)!;
    expect(afterAttach.retryInMs).toBe(BACKOFF.initialMs); // a new session starts a new backoff
    ovs.vsctl('clear', 'bridge', 'br0', 'flow_tables');
    const result = await withTimeout(firstValueFrom(rec.retried$), 5000, 'no successful retry after reconnect');
    expect(result).toMatchObject({ trigger: 'retry', added: 5, flowMods: 5 });
    expect(ovs.dumpFlows('br0')).toHaveLength(WANT + 5);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { filter, firstValueFrom, ReplaySubject, skip } from 'rxjs';
import { parseFlow } from '../../src/openflow/text/flow.js';
import { fieldByName } from '../../src/openflow/oxm/index.js';
import { desiredFromFlowMod, type DesiredFlow } from '../../src/reconciler/desired-flow.js';
import { inspectFlows } from '../../src/reconciler/inspect.js';
import { Reconciler, type ReconcileResult } from '../../src/reconciler/reconciler.js';
import { OfpErrorReply } from '../../src/switch/errors.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { nextUp, startServer } from '../switch/harness.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

const BRIDGE = 'h1/br-int';

const flows = (lines: string[]): DesiredFlow[] => lines.map((l) => desiredFromFlowMod(parseFlow(l)));

const INITIAL = [
  'table=0,priority=100,cookie=0x2000000000001,in_port=1,actions=output:2',
  'table=0,priority=100,cookie=0x2000000000002,in_port=2,actions=output:1',
  'table=0,priority=20,cookie=0x4000000000001,tcp,tp_dst=22,actions=drop',
  'table=0,priority=10,cookie=0x4000000000002,ip,nw_dst=10.0.0.0/8,actions=goto_table:60',
  'table=60,priority=50,cookie=0x2000000000003,dl_dst=fa:16:3e:00:00:01,actions=set_field:5->reg5,output:1',
  'table=60,priority=1,cookie=0x2000000000004,actions=drop',
];

describe('switch session + reconciler against a real ovs-vswitchd (dummy datapath)', () => {
  let ovs: OvsSandbox;
  let server: OpenFlowServer;
  const rec = new Reconciler(pino({ level: 'silent' }));
  /** Every reconcile-on-connect result, with the session it ran on. */
  const connects = new ReplaySubject<{ session: SwitchSession; result: ReconcileResult }>();
  let connectCount = 0;

  /** Drops the current connection and waits for OVS to reconnect and the reconciler to finish. */
  async function reconnect(session: SwitchSession, after?: () => Promise<void>): Promise<{ session: SwitchSession; result: ReconcileResult }> {
    const seen = connectCount;
    const next = firstValueFrom(connects.pipe(skip(seen)));
    if (after) await after();
    else session.close('test: force a reconnect');
    return next;
  }

  beforeAll(async () => {
    ({ server } = await startServer({ session: { echoIntervalMs: 2000, deadAfterMs: 10_000 } }));
    server.up$.subscribe((session) => {
      rec.attach(session).then(
        (result) => {
          connectCount++;
          connects.next({ session, result });
        },
        () => {},
      );
    });
    ovs = await OvsSandbox.start();
  });

  afterAll(async () => {
    await server?.close();
    await ovs?.stop();
  });

  let session: SwitchSession;

  it('completes the handshake: identity from dp-desc, datapath id, ports', async () => {
    await rec.setDesired(BRIDGE, flows(INITIAL));
    const up = nextUp(server, BRIDGE);
    ovs.addBridge('br0', 'h1 br-int', server.port, '00000000000000a1');
    session = await up;
    expect(session.identity?.key).toBe(BRIDGE);
    expect(session.datapathId).toBe(0xa1n);
    expect(session.dpDesc).toBe('h1 br-int');
    expect([...session.ports.values()].map((p) => p.name).sort()).toEqual(['br0', 'br0-p1', 'br0-p2']);
  });

  it('installs the desired set as one bundle: dump-flows shows exactly it', async () => {
    const { result } = await firstValueFrom(connects.pipe(filter((c) => c.session === session)));
    expect(result).toMatchObject({ added: INITIAL.length, removed: 0, flowMods: INITIAL.length, notRoundTripping: 0 });
    expect(session.sentCounts.get('bundle_add_message')).toBe(INITIAL.length);
    expect(session.sentCounts.get('bundle_control')).toBe(2); // open + commit
    const view = await inspectFlows(rec, BRIDGE, session);
    expect(ovs.dumpFlows('br0')).toEqual([...view.desired].map((l) => l.trim()).sort());
    expect(view.installed).toEqual(view.desired);
    expect(view.diff).toEqual([]);
  });

  it('surfaces a rejected flow-mod as an error tied to that request', async () => {
    const bad = { ...parseFlow('table=5,priority=5,actions=goto_table:1'), command: 0 };
    const err = await session.sendTracked(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfpErrorReply);
    expect((err as OfpErrorReply).requestType).toBe('flow_mod');
    expect((err as OfpErrorReply).errorName).toMatch(/BAD_TABLE_ID/);
    await expect(session.barrier()).resolves.toBeUndefined();
  });

  it('sends zero flow-mods on reconnect when nothing changed', async () => {
    const { session: again, result } = await reconnect(session);
    session = again;
    expect(result).toMatchObject({ flowMods: 0, unchanged: INITIAL.length, restartDetected: false });
    expect(session.sentCounts.get('flow_mod') ?? 0).toBe(0);
    expect(session.sentCounts.get('bundle_add_message') ?? 0).toBe(0);
  });

  it('sends only the change when the desired set changes', async () => {
    const changed = [...INITIAL];
    changed[1] = 'table=0,priority=100,cookie=0x2000000000002,in_port=2,actions=output:1,output:LOCAL'; // modify
    changed.splice(2, 1); // remove the tcp flow
    changed.push('table=60,priority=40,cookie=0x2000000000005,dl_dst=fa:16:3e:00:00:02,actions=output:2'); // add
    const result = await rec.setDesired(BRIDGE, flows(changed));
    expect(result).toMatchObject({ added: 1, modified: 1, removed: 1, flowMods: 3 });
    expect(session.sentCounts.get('flow_mod')).toBe(3);
    const view = await inspectFlows(rec, BRIDGE, session);
    expect(ovs.dumpFlows('br0')).toEqual([...view.desired].map((l) => l.trim()).sort());
    expect(view.diff).toEqual([]);
  });

  it('repairs flows changed behind its back on resync', async () => {
    ovs.ofctl('del-flows', 'br0', '--strict', 'table=60,priority=1');
    ovs.ofctl('add-flow', 'br0', 'table=9,priority=3,actions=drop');
    const result = await rec.resync(BRIDGE);
    expect(result).toMatchObject({ trigger: 'audit', added: 1, removed: 1, flowMods: 2 });
    const view = await inspectFlows(rec, BRIDGE, session);
    expect(ovs.dumpFlows('br0')).toEqual([...view.desired].map((l) => l.trim()).sort());
  });

  it('detects an ovs-vswitchd restart and reprograms everything', async () => {
    const { session: again, result } = await reconnect(session, () => ovs.restartVswitchd());
    session = again;
    expect(result).toMatchObject({ restartDetected: true, flowMods: INITIAL.length, removed: 0 });
    const view = await inspectFlows(rec, BRIDGE, session);
    expect(ovs.dumpFlows('br0')).toEqual([...view.desired].map((l) => l.trim()).sort());
  });

  it('flags a desired flow OVS re-encodes (NXM in_port instead of OF1.3 OXM in_port)', async () => {
    const nxmInPort = fieldByName('NXM_OF_IN_PORT')!;
    expect(nxmInPort.oxmClass).toBe(0);
    const odd: DesiredFlow = { ...flows(['table=0,priority=7,cookie=0x2000000000009,actions=drop'])[0], match: [{ field: nxmInPort, value: 1 }] };
    await rec.setDesired(BRIDGE, [...flows(INITIAL), odd]);
    const { session: again, result } = await reconnect(session);
    session = again;
    expect(result.notRoundTripping).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writer } from '../../src/openflow/bytes.js';
import { encodeMessage, type FlowMod, type FlowStats, type OfMessage } from '../../src/openflow/messages/index.js';
import { Reconciler } from '../../src/reconciler/reconciler.js';
import { inspectFlows } from '../../src/reconciler/inspect.js';
import { BundleMessageError, OfpErrorReply } from '../../src/switch/errors.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { FakeSwitch, type FakeSwitchOptions } from '../switch/fake-switch.js';
import { nextUp, startServer } from '../switch/harness.js';
import { asFlowStats, syntheticFlow } from './flows.js';

let server: OpenFlowServer | undefined;
const fakes: FakeSwitch[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) f.close();
  await server?.close();
  server = undefined;
});

const BRIDGE = 'h1/br-int';

async function connect(opts: Omit<FakeSwitchOptions, 'dpDesc'>): Promise<{ fake: FakeSwitch; session: SwitchSession }> {
  server ??= (await startServer()).server;
  const up = nextUp(server, BRIDGE);
  const fake = await FakeSwitch.connect(server.port, { dpDesc: 'h1 br-int', ...opts });
  fakes.push(fake);
  return { fake, session: await up };
}

/** FLOW_MODs the fake switch received inside bundles, in order. */
function bundledFlowMods(fake: FakeSwitch): FlowMod[] {
  return fake.received.flatMap((m: OfMessage) => (m.type === 'bundle_add_message' && m.message.type === 'flow_mod' ? [m.message] : []));
}

const quietLog = pino({ level: 'silent' });

describe('reconciler against a fake switch', () => {
  it('sends only the difference as one atomic ordered bundle, deletes first and strict', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [1, 2, 3, 4].map((i) => syntheticFlow(i)));
    const installed = [asFlowStats(syntheticFlow(1)), asFlowStats(syntheticFlow(3, 7)), asFlowStats(syntheticFlow(9))];
    const { fake, session } = await connect({ flows: installed });
    const result = await rec.attach(session);
    expect(result).toMatchObject({ trigger: 'connect', added: 2, modified: 1, removed: 1, unchanged: 1, flowMods: 4 });
    const mods = bundledFlowMods(fake);
    expect(mods.map((m) => [m.command, m.priority])).toEqual([
      [4, syntheticFlow(9).priority], // DELETE_STRICT
      [0, syntheticFlow(2).priority],
      [0, syntheticFlow(4).priority],
      [0, syntheticFlow(3).priority],
    ]);
    expect(mods[0].cookie).toBe(syntheticFlow(9).cookie);
    expect(mods[0].cookieMask).toBe(0xffffffffffffffffn);
    expect(mods[0].match.length).toBe(3);
    const ctl = fake.received.filter((m) => m.type === 'bundle_control');
    expect(ctl.map((m) => m.type === 'bundle_control' && [m.ctrlType, m.flags])).toEqual([
      [0, 3], // OPEN, ATOMIC|ORDERED
      [4, 3], // COMMIT
    ]);
    expect(fake.count('flow_mod')).toBe(0); // nothing outside the bundle
  });

  it('sends zero flow-mods when the switch already holds the desired flows', async () => {
    const rec = new Reconciler(quietLog);
    const flows = [1, 2, 3].map((i) => syntheticFlow(i));
    await rec.setDesired(BRIDGE, flows);
    const { fake, session } = await connect({ flows: flows.map((f) => asFlowStats(f, true)) });
    const result = await rec.attach(session);
    expect(result).toMatchObject({ flowMods: 0, unchanged: 3 });
    await session.barrier();
    expect(fake.count('bundle_control') + fake.count('bundle_add_message') + fake.count('flow_mod')).toBe(0);
  });

  it('pushes only changed flows when the desired set changes', async () => {
    const rec = new Reconciler(quietLog);
    const flows = [1, 2, 3].map((i) => syntheticFlow(i));
    await rec.setDesired(BRIDGE, flows);
    const { fake, session } = await connect({ flows: flows.map((f) => asFlowStats(f)) });
    await rec.attach(session);
    const result = await rec.setDesired(BRIDGE, [flows[0], syntheticFlow(2, 5), syntheticFlow(8)].concat([]));
    expect(result).toMatchObject({ trigger: 'update', added: 1, modified: 1, removed: 1, flowMods: 3 });
    expect(bundledFlowMods(fake).length).toBe(3);
    const again = await rec.setDesired(BRIDGE, [flows[0], syntheticFlow(2, 5), syntheticFlow(8)]);
    expect(again?.flowMods).toBe(0);
    expect(bundledFlowMods(fake).length).toBe(3);
  });

  it('detects a switch that came back empty and reprograms it fully', async () => {
    const rec = new Reconciler(quietLog);
    const flows = [1, 2, 3].map((i) => syntheticFlow(i));
    await rec.setDesired(BRIDGE, flows);
    const first = await connect({ flows: flows.map((f) => asFlowStats(f)) });
    expect((await rec.attach(first.session)).restartDetected).toBe(false);
    first.fake.close();
    await new Promise<void>((r) => first.session.closed$.subscribe({ complete: r }));
    const second = await connect({ flows: [] });
    const result = await rec.attach(second.session);
    expect(result).toMatchObject({ restartDetected: true, added: 3, flowMods: 3 });
  });

  it('pushes nothing while SLAVE, and programs the bridge on resync once MASTER', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [1, 2].map((i) => syntheticFlow(i)));
    const { fake, session } = await connect({ flows: [] });
    await session.setRole('slave', 1n);
    expect(await rec.attach(session)).toMatchObject({ flowMods: 0, added: 2 });
    expect(fake.count('bundle_add_message')).toBe(0);
    await session.setRole('master', 2n);
    expect(await rec.resync(BRIDGE)).toMatchObject({ trigger: 'audit', flowMods: 2 });
    expect(fake.count('bundle_add_message')).toBe(2);
  });

  it('counts installed flows the switch does not read back identically', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [1, 2].map((i) => syntheticFlow(i)));
    // This fake's table never changes: after the bundle it still reports nothing.
    const { fake, session } = await connect({ flows: [] });
    expect(await rec.attach(session)).toMatchObject({ flowMods: 2, notRoundTripping: 2 });
    expect(fake.received.filter((m) => m.type === 'multipart_request' && m.body.kind === 'flow').length).toBe(2);
  });

  it('rejects a desired set it cannot encode and keeps the previous one', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [syntheticFlow(1)]);
    await expect(rec.setDesired(BRIDGE, [syntheticFlow(2), { ...syntheticFlow(2), cookie: 3n }])).rejects.toThrow(/share table/);
    expect(rec.desired(BRIDGE).map((e) => e.flow.cookie)).toEqual([syntheticFlow(1).cookie]);
  });

  it('shows desired, installed and diff as ovs-ofctl lines', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [1, 2].map((i) => syntheticFlow(i)));
    const { session } = await connect({ flows: [asFlowStats(syntheticFlow(1, 3)), asFlowStats(syntheticFlow(6))] });
    const view = await inspectFlows(rec, BRIDGE, session);
    const line = (i: number, out = 2) =>
      ` cookie=0x1${i.toString(16).padStart(12, '0')}, ${i % 3 ? 'table=60, ' : ''}priority=${100 + (i % 7)},reg5=0x${i.toString(16)}/0xffff,in_port=${i + 1},dl_dst=02:00:00:00:00:0${i} actions=output:${out}`;
    expect(view.desired).toEqual([line(2), line(1)]);
    expect(view.installed).toEqual([line(6), line(1, 3)]);
    expect(view.diff).toEqual([`+${line(2)}`, `-${line(1, 3)}`, `+${line(1)}`, `-${line(6)}`]);
    expect(await inspectFlows(rec, 'nobody/br-int', undefined)).toMatchObject({ connected: false, installed: [] });
  });

  it('rejects with the error of the flow-mod the switch refused inside the bundle', async () => {
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, [1, 2].map((i) => syntheticFlow(i)));
    const { fake, session } = await connect({ flows: [] });
    let refusedXid = 0;
    fake.onMessage = (m) => {
      if (m.type === 'bundle_add_message' && m.message.type === 'flow_mod' && m.message.priority === syntheticFlow(2).priority) {
        refusedXid = m.xid;
        return [{ type: 'error', errType: 2, code: 4, data: new Uint8Array(0) }]; // OFPBAC_BAD_OUT_PORT
      }
      if (m.type === 'bundle_control' && m.ctrlType === 4) {
        return [{ type: 'error', errType: 0xffff, experimenter: 0x4f4e4600, code: 2313, data: new Uint8Array(0) }];
      }
      return undefined;
    };
    const err = await rec.attach(session).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfpErrorReply);
    expect((err as OfpErrorReply).xid).toBe(refusedXid);
    expect((err as OfpErrorReply).errorName).toMatch(/OFPBAC_BAD_OUT_PORT/);
    // Tied to its flow (bundle order: deletes, adds, modifies), and the bundle discarded, not committed.
    expect(err).toBeInstanceOf(BundleMessageError);
    expect((err as BundleMessageError).index).toBe(1);
    expect((err as BundleMessageError).subject).toBe(`add cookie=${'0x' + syntheticFlow(2).cookie.toString(16)}, table=60, priority=102,reg5=0x2/0xffff,in_port=3,dl_dst=02:00:00:00:00:02 actions=output:2`);
    expect((err as Error).message).toContain((err as BundleMessageError).subject);
    expect(fake.received.flatMap((m) => (m.type === 'bundle_control' ? [m.ctrlType] : []))).toEqual([0, 6]);
  });

  it('streams a big set into an empty bridge in one bundle; a set given meanwhile wins', async () => {
    const rec = new Reconciler(quietLog);
    const { fake, session } = await connect({ flows: [] });
    await rec.attach(session);
    const big = Array.from({ length: 5000 }, (_, i) => syntheticFlow(i));
    const newer = [...big.slice(0, 4000), syntheticFlow(9000)];
    const [first, second] = await Promise.all([rec.setDesired(BRIDGE, big), rec.setDesired(BRIDGE, newer)]);
    expect(first).toMatchObject({ trigger: 'update', added: 5000, flowMods: 5000, removed: 0 });
    expect(second).toMatchObject({ trigger: 'update', added: 1, removed: 1000, unchanged: 4000 });
    expect(rec.desired(BRIDGE).map((e) => e.flow)).toEqual(newer); // the streamed set did not overwrite the newer one
    const mods = bundledFlowMods(fake);
    expect(mods.slice(0, 5000).map((m) => m.priority)).toEqual(big.map((f) => f.priority));
    expect(mods.slice(5000).filter((m) => m.command === 4)).toHaveLength(1000);
    expect(fake.received.flatMap((m) => (m.type === 'bundle_control' ? [m.ctrlType] : []))).toEqual([0, 4, 0, 4]);
  });

  it('reconciles a reconnect of a 100k-flow bridge with nothing changed without sending a flow-mod', async () => {
    const flows = Array.from({ length: 100_000 }, (_, i) => syntheticFlow(i));
    const rec = new Reconciler(quietLog);
    await rec.setDesired(BRIDGE, flows);
    const frames: Uint8Array[] = [];
    const stats: FlowStats[] = flows.map((f) => asFlowStats(f));
    for (let i = 0; i < stats.length; i += 400) {
      const w = new Writer(65536);
      const more = i + 400 < stats.length ? 1 : 0;
      encodeMessage(w, { type: 'multipart_reply', version: 4, xid: 0, flags: more, body: { kind: 'flow', flows: stats.slice(i, i + 400) } });
      frames.push(w.copyFrom());
    }
    // Reconnect twice: the second attach must find the same state as the first. (Time is measured by bench/flow-install.bench.ts.)
    for (let run = 0; run < 2; run++) {
      const { fake, session } = await connect({ flowReplyFrames: frames });
      const result = await rec.attach(session);
      expect(result).toMatchObject({ unchanged: 100_000, flowMods: 0, restartDetected: false });
      expect(fake.count('bundle_add_message')).toBe(0);
      fake.close();
      await new Promise<void>((r) => session.closed$.subscribe({ complete: r }));
    }
  });
});

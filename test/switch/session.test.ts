import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { Writer } from '../../src/openflow/bytes.js';
import { EncodeError } from '../../src/openflow/errors.js';
import { encodeMessage, type FlowMod, type OfMessage } from '../../src/openflow/messages/index.js';
import { addFlowMod } from '../../src/reconciler/desired-flow.js';
import { BundleMessageError, OfpErrorReply, RequestTimeoutError } from '../../src/switch/errors.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { OutgoingMessage } from '../../src/switch/session.js';
import { FakeSwitch, port } from './fake-switch.js';
import { nextUp, startServer } from './harness.js';

let server: OpenFlowServer | undefined;
const fakes: FakeSwitch[] = [];

afterEach(async () => {
  for (const f of fakes.splice(0)) f.close();
  await server?.close();
  server = undefined;
});

async function connect(opts: Parameters<typeof FakeSwitch.connect>[1]): Promise<FakeSwitch> {
  const f = await FakeSwitch.connect(server!.port, opts);
  fakes.push(f);
  return f;
}

const flowMod = (priority: number): OutgoingMessage =>
  ({
    type: 'flow_mod',
    cookie: 0n,
    cookieMask: 0n,
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    flags: 0,
    importance: 0,
    match: [],
    instructions: [],
  }) satisfies Omit<FlowMod, 'version' | 'xid'>;

describe('switch session against a fake switch over TCP', () => {
  it('negotiates OF1.3 with an OF1.5-header HELLO and learns identity, dpid and ports', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'compute-1 br-int', datapathId: 0xabcn, ports: [port(1, 'tap1'), port(2, 'tap2')] });
    const s = await up;
    expect(s.identity).toEqual({ host: 'compute-1', bridge: 'br-int', key: 'compute-1/br-int' });
    expect(s.datapathId).toBe(0xabcn);
    expect([...s.ports.keys()]).toEqual([1, 2]);
    expect(server.switches.get('compute-1/br-int')).toBe(s);
    const hello = await fake.waitFor('hello');
    expect(hello.version).toBe(4);
    expect(hello.elements[0]).toEqual({ kind: 'versionbitmap', bitmaps: [1 << 4] });
    const cfg = await fake.waitFor('set_config');
    expect(cfg.missSendLen).toBe(0xffff);
  });

  it('claims the configured role with its generation id during the handshake', async () => {
    ({ server } = await startServer({ session: { role: { role: 'master', generationId: 42n } } }));
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h role' });
    await up;
    const req = await fake.waitFor('role_request');
    expect([req.role, req.generationId]).toEqual([2, 42n]);
    // The handshake's closing barrier comes after the role request.
    expect(fake.received.findIndex((m) => m.type === 'barrier_request')).toBeGreaterThan(fake.received.indexOf(req));
  });

  it('refuses a switch that does not offer OF1.3, with HELLO_FAILED', async () => {
    ({ server } = await startServer());
    const fake = await connect({ dpDesc: 'h b', helloVersion: 1, helloBitmap: 0b10 });
    const err = await fake.waitFor('error');
    expect(err.errType).toBe(0);
    await fake.closed();
    expect(server.switches.size).toBe(0);
  });

  it('refuses a second connection claiming an identity already connected', async () => {
    let lines: () => Array<Record<string, unknown>>;
    ({ server, lines } = await startServer());
    const up = nextUp(server);
    await connect({ dpDesc: 'h1 br-tun', datapathId: 1n });
    const first = await up;
    const second = await connect({ dpDesc: 'h1 br-tun', datapathId: 2n });
    await second.closed();
    expect(server.switches.get('h1/br-tun')).toBe(first);
    expect(first.isClosed).toBe(false);
    expect(lines().some((l) => String(l.msg).includes('h1/br-tun is already connected'))).toBe(true);
  });

  it('answers echo requests from the switch with the same xid and payload', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h e' });
    await up;
    fake.send({ type: 'echo_request', xid: 777, data: new Uint8Array([1, 2, 3]) });
    const reply = await fake.waitFor('echo_reply', (m) => m.xid === 777);
    expect([...reply.data]).toEqual([1, 2, 3]);
  });

  it('sends echo when idle and drops a switch that stops answering', async () => {
    ({ server } = await startServer({ session: { echoIntervalMs: 100, deadAfterMs: 400 } }));
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h dead' });
    const s = await up;
    await fake.waitFor('echo_request');
    const down = firstValueFrom(server.down$);
    fake.onMessage = () => []; // goes silent
    const t0 = Date.now();
    const { reason } = await down;
    expect(reason).toMatch(/dead peer/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.isClosed).toBe(true);
  });

  it('times out a request the switch never answers, and keeps serving others', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h t' });
    const s = await up;
    fake.onMessage = (m) => (m.type === 'multipart_request' && m.body.kind === 'table' ? [] : undefined);
    const slow = s.request({ type: 'multipart_request', flags: 0, body: { kind: 'table' } }, 150);
    await expect(slow).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(s.barrier()).resolves.toBeUndefined();
  });

  it('rejects exactly the request an ERROR refers to, with the OFP error name', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h err' });
    const s = await up;
    fake.onMessage = (m) =>
      m.type === 'flow_mod' && m.priority === 66
        ? [{ type: 'error', errType: 4, code: 9, data: new Uint8Array(0) }] // OFPBMC_BAD_PREREQ
        : undefined;
    const good = s.sendTracked(flowMod(10));
    const bad = s.sendTracked(flowMod(66)).catch((e: unknown) => e);
    const barrier = s.barrier();
    await expect(good).resolves.toBeUndefined();
    const err = await bad;
    expect(err).toBeInstanceOf(OfpErrorReply);
    expect((err as OfpErrorReply).errorName).toBe('OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ');
    expect((err as OfpErrorReply).requestType).toBe('flow_mod');
    await expect(barrier).resolves.toBeUndefined();
    await expect(s.commit([flowMod(1), flowMod(66), flowMod(2)])).rejects.toThrow(/flow_mod xid=\d+ rejected: OFPET_BAD_MATCH/);
  });

  it('reassembles a multipart reply sent in several MORE parts', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const flows = Array.from({ length: 25 }, (_, i) => ({
      tableId: 0, durationSec: 0, durationNsec: 0, priority: i, idleTimeout: 0, hardTimeout: 0, flags: 0,
      cookie: BigInt(i), packetCount: 0n, byteCount: 0n, match: [], instructions: [],
    }));
    await connect({ dpDesc: 'h mp', flows, flowsPerPart: 10 });
    const s = await up;
    const body = { kind: 'flow' as const, tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match: [] };
    const frames = await s.requestFrames({ type: 'multipart_request', flags: 0, body });
    expect(frames.length).toBe(3);
    const reply = await s.multipart(body);
    expect(reply.body.kind === 'flow' && reply.body.flows.map((f) => f.priority)).toEqual(flows.map((f) => f.priority));
  });

  it('drops a switch whose multipart reply grows past the cap', async () => {
    ({ server } = await startServer({ session: { maxReplyBytes: 3000 } }));
    const up = nextUp(server);
    const flows = Array.from({ length: 100 }, (_, i) => ({
      tableId: 0, durationSec: 0, durationNsec: 0, priority: i, idleTimeout: 0, hardTimeout: 0, flags: 0,
      cookie: 0n, packetCount: 0n, byteCount: 0n, match: [], instructions: [],
    }));
    await connect({ dpDesc: 'h big', flows, flowsPerPart: 10 });
    const s = await up;
    const body = { kind: 'flow' as const, tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match: [] };
    await expect(s.requestFrames({ type: 'multipart_request', flags: 0, body })).rejects.toThrow(/passed 3000 bytes/);
    expect(s.isClosed).toBe(true);
  });

  it('tracks port status', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h ps', ports: [port(1, 'a')] });
    const s = await up;
    const ev = firstValueFrom(server.ports$);
    fake.send({ type: 'port_status', reason: 0, port: port(7, 'tap7') });
    expect((await ev).change).toBe('added');
    expect(s.ports.get(7)?.name).toBe('tap7');
    const gone = firstValueFrom(server.ports$);
    fake.send({ type: 'port_status', reason: 1, port: port(1, 'a') });
    expect((await gone).change).toBe('removed');
    expect(s.ports.has(1)).toBe(false);
  });

  it('publishes packet-ins, flow-removed and unsolicited errors as observables', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h ev' });
    const s = await up;
    const pin = firstValueFrom(server.packetIn$);
    fake.send({ type: 'packet_in', bufferId: 0xffffffff, totalLen: 3, reason: 1, tableId: 60, cookie: 7n, match: [], data: new Uint8Array([1, 2, 3]) });
    const p = await pin;
    expect(p.session).toBe(s);
    expect(p.msg.type === 'packet_in' && [p.msg.tableId, p.msg.cookie, [...p.msg.data]]).toEqual([60, 7n, [1, 2, 3]]);
    const removed = firstValueFrom(server.flowRemoved$);
    fake.send({
      type: 'flow_removed', cookie: 9n, priority: 5, reason: 0, tableId: 0, durationSec: 1, durationNsec: 0,
      idleTimeout: 10, hardTimeout: 0, packetCount: 0n, byteCount: 0n, match: [],
    });
    expect((await removed).msg).toMatchObject({ type: 'flow_removed', cookie: 9n, priority: 5 });
    const err = firstValueFrom(server.error$);
    fake.send({ type: 'error', xid: 424242, errType: 5, code: 1, data: new Uint8Array(0) });
    expect((await err).name).toBe('OFPET_FLOW_MOD_FAILED/OFPFMFC_TABLE_FULL');
  });

  it('coalesces many messages into one socket write', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h co' });
    const s = await up;
    const before = s.outputStats.writes;
    for (let i = 0; i < 200; i++) s.send(flowMod(i));
    await s.barrier();
    expect(s.outputStats.writes - before).toBeLessThanOrEqual(2); // the batch, then the barrier's own tick
    expect(fake.count('flow_mod')).toBe(200);
  });

  it('drops a switch that stops reading once its output queue passes the cap, without stalling others', async () => {
    const capBytes = 256 * 1024;
    let lines: () => Array<Record<string, unknown>>;
    ({ server, lines } = await startServer({ session: { output: { capBytes, flushBytes: 16 * 1024, lowWaterBytes: 64 * 1024 } } }));
    const upStuck = nextUp(server, 'h/stuck');
    const stuck = await connect({ dpDesc: 'h stuck' });
    const s = await upStuck;
    const upOk = nextUp(server, 'h/ok');
    await connect({ dpDesc: 'h ok' });
    const ok = await upOk;
    stuck.socket.pause(); // stops reading: the kernel buffers fill, then ours
    let maxQueued = 0;
    const payload = new Uint8Array(60_000);
    for (let i = 0; i < 2000 && !s.isClosed; i++) {
      s.send({ type: 'echo_request', data: payload });
      maxQueued = Math.max(maxQueued, s.queuedBytes);
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(s.isClosed).toBe(true);
    expect(s.disconnectReason).toMatch(/over its cap/);
    expect(maxQueued).toBeLessThanOrEqual(capBytes + payload.length + 8);
    expect(lines().some((l) => l.msg === 'switch disconnected' && String(l.reason).includes('over its cap') && l.switch === 'h/stuck')).toBe(true);
    await expect(ok.barrier()).resolves.toBeUndefined();
  });

  it('allocates an xid for messages carrying xid 0, as addFlowMod builds them (regression: all claimed xid 0)', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h x0' });
    const s = await up;
    const mod = (priority: number) => addFlowMod({ tableId: 0, priority, match: [], instructions: [], cookie: 1n });
    expect(mod(1).xid).toBe(0);
    await Promise.all([s.sendTracked(mod(1)), s.sendTracked(mod(2)), s.commit([mod(3), mod(4), mod(5)])]);
    const xids = fake.received.filter((m) => m.type === 'flow_mod').map((m) => m.xid);
    expect(xids).toHaveLength(5);
    expect(xids.every((x) => x > 0)).toBe(true);
    expect(new Set(xids).size).toBe(5);
    expect(s.send(mod(6))).toBeGreaterThan(0);
    expect(s.send({ ...mod(7), xid: 0x7777 })).toBe(0x7777); // a chosen xid is kept
  });

  /** The flow-mods a fake switch received inside bundles, with their BUNDLE_ADD's xid. */
  const bundled = (fake: FakeSwitch) =>
    fake.received.flatMap((m: OfMessage) => (m.type === 'bundle_add_message' ? [{ addXid: m.xid, bundleId: m.bundleId, flags: m.flags, inner: m.message }] : []));
  const ctrlTypes = (fake: FakeSwitch) => fake.received.flatMap((m) => (m.type === 'bundle_control' ? [m.ctrlType] : []));
  const encoded = (m: OutgoingMessage): Uint8Array => {
    const w = new Writer(256);
    encodeMessage(w, { ...m, version: 4, xid: 0 } as OfMessage);
    return w.copyFrom();
  };

  it('bundles encoded messages and message objects alike: consecutive xids, inner xid = BUNDLE_ADD xid, then BARRIER and COMMIT', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h bu' });
    const s = await up;
    const n = 2500; // several output batches
    const msgs = Array.from({ length: n }, (_, i) => (i % 2 ? encoded(flowMod(i)) : flowMod(i)));
    await s.bundle(msgs);
    const adds = bundled(fake);
    expect(adds).toHaveLength(n);
    adds.forEach((a, i) => {
      expect(a.inner).toMatchObject({ type: 'flow_mod', priority: i, xid: a.addXid });
      expect(a.addXid).toBe(adds[0].addXid + i);
      expect([a.bundleId, a.flags]).toEqual([adds[0].bundleId, 3]);
    });
    // OPEN, the adds, a BARRIER, then COMMIT.
    const order = fake.received.filter((m) => m.type === 'bundle_control' || m.type === 'barrier_request').map((m) => (m.type === 'bundle_control' ? m.ctrlType : 'barrier'));
    expect(order.slice(-3)).toEqual([0, 'barrier', 4]);
    expect(fake.received.findIndex((m) => m.type === 'barrier_request' && m.xid > adds[n - 1].addXid)).toBeGreaterThan(fake.received.findIndex((m) => m.type === 'bundle_add_message' && m.xid === adds[n - 1].addXid));
    expect(s.sentCounts.get('flow_mod')).toBe(n);
    expect(s.sentCounts.get('bundle_add_message')).toBe(n);
  });

  it('discards, never commits, a bundle one of whose messages the switch refuses as it is added', async () => {
    let lines: () => Array<Record<string, unknown>>;
    ({ server, lines } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h bd' });
    const s = await up;
    fake.onMessage = (m) =>
      m.type === 'bundle_add_message' && m.message.type === 'flow_mod' && m.message.priority === 66
        ? [{ type: 'error', errType: 4, code: 9, data: new Uint8Array(0) }]
        : undefined;
    const err = await s.bundle([flowMod(1), encoded(flowMod(66)), flowMod(2)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleMessageError);
    expect(err).toBeInstanceOf(OfpErrorReply);
    const adds = bundled(fake);
    expect(err).toMatchObject({ index: 1, messageType: 'flow_mod', requestType: 'bundle_add_message', xid: adds[1].addXid, errorName: 'OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ' });
    expect((err as Error).message).toMatch(/message 1 of the bundle, a flow_mod/);
    expect(ctrlTypes(fake)).toEqual([0, 6]); // OPEN, DISCARD
    expect(lines().filter((l) => l.msg === 'switch reported an error for no pending request')).toEqual([]);
    // The session is fine afterwards.
    await expect(s.bundle([flowMod(3)])).resolves.toBeUndefined();
    expect(ctrlTypes(fake)).toEqual([0, 6, 0, 4]);
  });

  it('rejects with the message the switch refused while applying the commit, not the commit\'s generic error', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h bc' });
    const s = await up;
    fake.onMessage = (m) => {
      if (m.type !== 'bundle_control' || m.ctrlType !== 4) return undefined;
      // Like OVS: an error for the failing message (its BUNDLE_ADD's xid), then OFPBFC_MSG_FAILED for the commit.
      const failing = bundled(fake)[2].addXid;
      fake.send({ type: 'error', xid: failing, errType: 5, code: 1, data: new Uint8Array(0) }); // OFPFMFC_TABLE_FULL
      return [{ type: 'error', errType: 0xffff, experimenter: 0x4f4e4600, code: 2313, data: new Uint8Array(0) }];
    };
    const err = await s.bundle([flowMod(1), flowMod(2), flowMod(3), flowMod(4)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleMessageError);
    expect(err).toMatchObject({ index: 2, errorName: 'OFPET_FLOW_MOD_FAILED/OFPFMFC_TABLE_FULL' });
    // Without a message error the commit's own error comes through.
    fake.onMessage = (m) =>
      m.type === 'bundle_control' && m.ctrlType === 4 ? [{ type: 'error', errType: 0xffff, experimenter: 0x4f4e4600, code: 2313, data: new Uint8Array(0) }] : undefined;
    const commitErr = await s.bundle([flowMod(5)]).catch((e: unknown) => e);
    expect(commitErr).toBeInstanceOf(OfpErrorReply);
    expect(commitErr).not.toBeInstanceOf(BundleMessageError);
    expect(commitErr).toMatchObject({ requestType: 'bundle_control' });
  });

  it('discards the bundle when a message cannot be encoded, and sends none of the rest', async () => {
    ({ server } = await startServer());
    const up = nextUp(server);
    const fake = await connect({ dpDesc: 'h be' });
    const s = await up;
    const truncated = encoded(flowMod(7)).subarray(0, 20);
    await expect(s.bundle([flowMod(1), truncated, flowMod(2)])).rejects.toBeInstanceOf(EncodeError);
    await s.barrier();
    expect(ctrlTypes(fake)).toEqual([0, 6]);
    expect(bundled(fake).length).toBeLessThan(3);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import type { FlowMod } from '../../src/openflow/messages/index.js';
import { OfpErrorReply, RequestTimeoutError } from '../../src/switch/errors.js';
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
});

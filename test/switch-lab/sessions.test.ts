import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.js';
import { addFlowMod, inspectFlows } from '../../src/reconciler/index.js';
import { DEFAULT_OUTPUT_OPTIONS, OfpErrorReply, SessionClosedError, type SwitchSession } from '../../src/switch/index.js';
import { nextUp, startServer } from '../switch/harness.js';
import { floodUntilDropped } from './flood.js';
import { flowCount, LabController, labFlows, sleep, withTimeout } from './lab-controller.js';

const HOSTS = ['h1', 'h2', 'h3'];
const MANAGED = ['br-int', 'br-tun', 'br-ex']; // the secure bridges; br-phy is lab plumbing (standalone)
const KEYS = HOSTS.flatMap((h) => MANAGED.map((b) => `${h}/${b}`)).sort();
/** Small, so the stuck-switch test reaches it quickly; real deployments keep the 32 MiB default. */
const CAP_BYTES = 4 * 1024 * 1024;

describe('switch sessions against real ovs-vswitchd on 3 lab hosts', () => {
  let lab: Lab;
  let ctl: LabController;

  beforeAll(async () => {
    ctl = await LabController.start({ requestTimeoutMs: 60_000, output: { ...DEFAULT_OUTPUT_OPTIONS, capBytes: CAP_BYTES } });
    lab = await Lab.start({ name: 'swlab', hosts: HOSTS, datapath: 'dummy', controller: { port: ctl.server.port } });
    await Promise.all(KEYS.map((k) => ctl.attachOf(k)));
  });

  afterAll(async () => {
    for (const h of lab?.hosts ?? []) {
      const pid = h.pidOf('ovs-vswitchd');
      if (pid) process.kill(pid, 'SIGCONT'); // never leave a stopped daemon behind a failed test
    }
    await lab?.stop();
    await ctl?.close();
  });

  it('every managed bridge of every host connects, handshakes and is named by its dp-desc', () => {
    expect([...ctl.server.switches.keys()].sort()).toEqual(KEYS);
    for (const h of lab.hosts) {
      for (const name of MANAGED) {
        const s = ctl.session(`${h.name}/${name}`);
        expect(s.datapathId).toBe(BigInt(`0x${h.bridge(name).datapathId}`));
        expect(s.dpDesc).toBe(`${h.name} ${name}`);
      }
      // PORT_DESC was read: the patch port OVS numbered 1 on br-tun.
      expect(ctl.session(`${h.name}/br-tun`).ports.get(1)?.name).toBe('patch-int');
    }
    const handshakes = ctl.logLines().filter((l) => l.msg === 'switch handshake done');
    expect(handshakes).toHaveLength(KEYS.length);
    expect(ctl.downs.map((d) => d.reason)).toEqual([]);
  });

  it('keepalive holds an idle connection that would otherwise count as dead', async () => {
    // A second controller with a fast keepalive: echo after 250 ms of silence, dead after 2 s.
    const { server: ka } = await startServer({ session: { echoIntervalMs: 250, deadAfterMs: 2000 } });
    const ours = ctl.session('h3/br-ex');
    try {
      const downs: string[] = [];
      ka.down$.subscribe((d) => downs.push(d.reason));
      const up = nextUp(ka, 'h3/br-ex');
      await lab.pointAtController('h3', 'br-ex', `tcp:127.0.0.1:${ka.port}`);
      const session = await withTimeout(up, 10_000, 'h3/br-ex did not reach the keepalive server');
      const echoes0 = session.sentCounts.get('echo_request') ?? 0;
      await sleep(4500); // idle for more than twice deadAfterMs: only answered echoes keep it up
      expect(session.isClosed).toBe(false);
      expect(ka.switches.get('h3/br-ex')).toBe(session);
      expect(downs).toEqual([]);
      expect((session.sentCounts.get('echo_request') ?? 0) - echoes0).toBeGreaterThanOrEqual(8);
      // OVS's side agrees: it connected to this controller once and never again.
      const vswitchdLog = readFileSync(lab.host('h3').logFile('ovs-vswitchd'), 'utf8');
      expect(vswitchdLog.split(`ctl-${ka.port}.sock: connected`)).toHaveLength(2);
    } finally {
      const back = ctl.attachOf('h3/br-ex', (a) => a.session !== ours);
      await lab.pointAtController('h3', 'br-ex', `tcp:127.0.0.1:${ctl.server.port}`);
      await ka.close();
      await back;
    }
  });

  it('a flow-mod the switch rejects fails its own request with the OpenFlow error; its neighbours succeed', async () => {
    const s = ctl.session('h1/br-tun');
    const [good1, good2] = labFlows(2, 5).map((f) => addFlowMod(f));
    // goto_table must go forward: OVS refuses table 5 -> 2.
    const bad = { ...good1, priority: 7, instructions: [{ type: 'goto_table' as const, tableId: 2 }] };
    const sent = [s.sendTracked({ ...good1, xid: 0x5a01 }), s.sendTracked({ ...bad, xid: 0x5a02 }), s.sendTracked({ ...good2, xid: 0x5a03 })];
    const outcomes = await Promise.allSettled([...sent, s.barrier()]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const err = (outcomes[1] as PromiseRejectedResult).reason as OfpErrorReply;
    expect(err).toBeInstanceOf(OfpErrorReply);
    expect(err).toMatchObject({ xid: 0x5a02, requestType: 'flow_mod', switchName: 'h1/br-tun' });
    expect(err.errorName).toMatch(/BAD_TABLE_ID/);
    expect(await lab.host('h1').dumpFlows('br-tun', 5)).toHaveLength(2);
    await lab.host('h1').ofctl('del-flows', 'br-tun', 'table=5');
    // Inside a bundle the error names the BUNDLE_ADD that carried the bad flow, and the bundle is
    // discarded whole: OVS left the bad flow out at add time and would have committed good1 and good2.
    await expect(s.bundle([good1, bad, good2])).rejects.toMatchObject({ errorName: err.errorName, requestType: 'bundle_add_message', index: 1 });
    expect(await lab.host('h1').dumpFlows('br-tun', 5)).toEqual([]);
    expect(s.isClosed).toBe(false);
    expect(ctl.logLines().filter((l) => l.msg === 'switch reported an error for no pending request')).toEqual([]);
    await lab.host('h1').ofctl('del-flows', 'br-tun', 'table=5');
  });

  it('after ovs-vswitchd restarts on a host, the reconciler reinstalls that bridge in full', async () => {
    const N = 2000;
    const h2 = lab.host('h2');
    const untouched = ctl.session('h1/br-int');
    expect(await ctl.rec.setDesired('h2/br-int', labFlows(N, 0))).toMatchObject({ added: N, flowMods: N });
    const before = (await h2.dumpFlows('br-int')).sort();
    expect(before).toHaveLength(N);

    const old = ctl.session('h2/br-int');
    const reinstalled = ctl.attachOf('h2/br-int', (a) => a.session !== old, 30_000);
    await lab.restartVswitchd('h2');
    const { session, result } = await reinstalled;
    expect(result).toMatchObject({ restartDetected: true, added: N, flowMods: N, removed: 0, notRoundTripping: 0 });
    const after = (await h2.dumpFlows('br-int')).sort();
    expect(after).toEqual(before);
    const inspection = await inspectFlows(ctl.rec, 'h2/br-int', session);
    expect(inspection.diff).toEqual([]);
    expect(after).toEqual(inspection.desired.map((l) => l.trim()).sort()); // OVS text of the table = our desired set
    expect(ctl.session('h1/br-int')).toBe(untouched); // other hosts never noticed
  });

  it('a switch that stops reading parks a drain-aware push, is dropped at the output cap, and stalls nobody else', async () => {
    const h1 = lab.host('h1');
    const desired = labFlows(500, 0);
    await ctl.rec.setDesired('h1/br-int', desired);
    const stuck = ctl.session('h1/br-int');
    const pid = h1.pidOf('ovs-vswitchd');
    if (!pid) throw new Error('h1 has no ovs-vswitchd');
    const template = addFlowMod(labFlows(1, 1)[0]); // xid 0: the session allocates one per message
    process.kill(pid, 'SIGSTOP');
    try {
      // 100k tracked flow-mods through commit(), which waits for the socket to drain: it parks.
      const parked = stuck.commit(Array.from({ length: 100_000 }, (_, i) => ({ ...template, priority: i & 0xffff })));
      parked.catch(() => undefined);
      await sleep(1000);
      const { lowWaterBytes, flushBytes } = DEFAULT_OUTPUT_OPTIONS;
      expect(stuck.queuedBytes).toBeGreaterThan(0);
      expect(stuck.queuedBytes).toBeLessThanOrEqual(lowWaterBytes + flushBytes);
      // Meanwhile h2 and h3 take a flow change and acknowledge it.
      for (const key of ['h2/br-tun', 'h3/br-tun']) {
        expect(await ctl.rec.setDesired(key, labFlows(100, 3))).toMatchObject({ added: 100 });
      }
      expect(await lab.host('h3').dumpFlows('br-tun', 3)).toHaveLength(100);
      // A producer that ignores backpressure gets the switch dropped at the cap.
      const flood = await floodUntilDropped(stuck, template);
      console.info(`stuck switch: dropped after ${flood.sent} more flow-mods, max queued ${flood.maxQueued} B, Buffer memory +${flood.peakArrayBuffers} B`);
      expect(stuck.disconnectReason).toMatch(/output queue over its cap/);
      expect(flood.maxQueued).toBeLessThanOrEqual(CAP_BYTES);
      expect(flood.peakArrayBuffers).toBeLessThan(4 * CAP_BYTES);
      await expect(parked).rejects.toBeInstanceOf(SessionClosedError);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // h1 comes back; whatever of the flood it read before EOF is repaired away.
    const { result } = await ctl.attachOf('h1/br-int', (a) => a.session !== stuck, 30_000);
    expect(result.trigger).toBe('connect');
    expect(flowCount(await h1.ofctl('dump-aggregate', 'br-int'))).toBe(desired.length);
  });

  it('100k flow-mods in flight all complete: each acknowledged, 100k flows in the table', async () => {
    const N = 100_000;
    const s: SwitchSession = ctl.session('h3/br-int');
    const mods = labFlows(N, 2).map((f) => addFlowMod(f)); // xid 0 each: allocated per message
    let acked = 0;
    const acks: Promise<void>[] = [];
    const t0 = performance.now();
    for (const m of mods) {
      acks.push(s.sendTracked(m).then(() => void acked++));
      if (s.queuedBytes > DEFAULT_OUTPUT_OPTIONS.lowWaterBytes) await s.whenDrained();
    }
    await s.barrier();
    await Promise.all(acks);
    const ms = performance.now() - t0;
    expect(acked).toBe(N);
    expect(flowCount(await lab.host('h3').ofctl('dump-aggregate', 'br-int'))).toBe(N);
    console.info(`${N} tracked flow-mods acknowledged in ${ms.toFixed(0)} ms`);
  });
});

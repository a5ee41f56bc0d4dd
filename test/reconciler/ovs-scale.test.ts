import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { firstValueFrom, Subject } from 'rxjs';
import { Reconciler, type ReconcileResult } from '../../src/reconciler/reconciler.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { startServer } from '../switch/harness.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';
import { syntheticFlow } from './flows.js';

const BRIDGE = 'h3/br-int';
const N = 100_000;

describe('reconciler at scale with a real ovs-vswitchd', () => {
  let ovs: OvsSandbox;
  let server: OpenFlowServer;
  const rec = new Reconciler(pino({ level: 'silent' }));
  const connects = new Subject<{ session: SwitchSession; result: ReconcileResult }>();

  beforeAll(async () => {
    ({ server } = await startServer({ session: { requestTimeoutMs: 120_000, deadAfterMs: 120_000 } }));
    server.up$.subscribe((session) => {
      rec.attach(session).then(
        (result) => connects.next({ session, result }),
        () => {},
      );
    });
    ovs = await OvsSandbox.start();
  });

  afterAll(async () => {
    await server?.close();
    await ovs?.stop();
  });

  it(`installs ${N} flows in one bundle, then reconciles reconnects with nothing changed without a flow-mod`, async () => {
    await rec.setDesired(BRIDGE, Array.from({ length: N }, (_, i) => syntheticFlow(i)));
    const first = firstValueFrom(connects);
    ovs.addBridge('br3', 'h3 br-int', server.port, '00000000000000c1');
    const { session, result } = await first;
    expect(result).toMatchObject({ added: N, flowMods: N });
    expect(ovs.ofctl('dump-aggregate', 'br3')).toContain(`flow_count=${N}`);

    // Two reconnects; their time is a benchmark figure (bench/flow-install.bench.ts), not a test.
    let current = session;
    for (let run = 0; run < 2; run++) {
      const next = firstValueFrom(connects);
      current.close('test: reconnect');
      const again = await next;
      expect(again.result).toMatchObject({ flowMods: 0, unchanged: N });
      expect(again.session.sentCounts.get('bundle_add_message') ?? 0).toBe(0);
      current = again.session;
    }
  }, 240_000);

  it('streams a big set into an empty bridge as it encodes it; a bad set is discarded whole and the table stays empty', async () => {
    const key = 'h4/br-int';
    const first = firstValueFrom(connects);
    ovs.addBridge('br4', 'h4 br-int', server.port, '00000000000000c4');
    const { session, result } = await first;
    expect(result).toMatchObject({ flowMods: 0, added: 0 });
    const M = 20_000;
    const good = Array.from({ length: M }, (_, i) => syntheticFlow(i));
    // The duplicate is at the end: by then most of the set is in the switch's open bundle.
    await expect(rec.setDesired(key, [...good, syntheticFlow(M - 10)])).rejects.toThrow(/share table/);
    expect(rec.desired(key)).toEqual([]);
    expect(ovs.ofctl('dump-aggregate', 'br4')).toContain('flow_count=0');
    expect(await rec.setDesired(key, good)).toMatchObject({ added: M, flowMods: M, removed: 0 });
    expect(ovs.ofctl('dump-aggregate', 'br4')).toContain(`flow_count=${M}`);
    expect(rec.desired(key)).toHaveLength(M);
    expect(session.sentCounts.get('bundle_control')).toBe(4); // OPEN + DISCARD, then OPEN + COMMIT
    // Nothing differs on a reconnect: the streamed flows read back identically.
    const next = firstValueFrom(connects);
    session.close('test: reconnect');
    expect((await next).result).toMatchObject({ flowMods: 0, unchanged: M });
  }, 120_000);
});

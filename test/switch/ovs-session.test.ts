import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filter, firstValueFrom } from 'rxjs';
import { parseFlow } from '../../src/openflow/text/flow.js';
import { indexDesired, desiredFromFlowMod } from '../../src/reconciler/desired-flow.js';
import { BundleMessageError, OfpErrorReply } from '../../src/switch/errors.js';
import type { OpenFlowServer } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';
import { nextUp, startServer } from './harness.js';
import { OvsSandbox } from '../support/ovs-sandbox.js';

describe('switch sessions with a real ovs-vswitchd', () => {
  let ovs: OvsSandbox;
  let server: OpenFlowServer;
  let lines: () => Array<Record<string, unknown>>;
  let session: SwitchSession;

  beforeAll(async () => {
    ({ server, lines } = await startServer());
    ovs = await OvsSandbox.start();
    const up = nextUp(server, 'h2/br-tun');
    ovs.addBridge('br1', 'h2 br-tun', server.port, '00000000000000b1');
    session = await up;
  });

  afterAll(async () => {
    await server?.close();
    await ovs?.stop();
  });

  it('reports ports OVS adds and removes', async () => {
    const added = firstValueFrom(server.ports$.pipe(filter((e) => e.port.name === 'br1-p3' && e.change === 'added')));
    ovs.vsctl('add-port', 'br1', 'br1-p3', '--', 'set', 'interface', 'br1-p3', 'type=dummy', 'ofport_request=3');
    expect((await added).port.portNo).toBe(3);
    expect(session.ports.get(3)?.name).toBe('br1-p3');
    const removed = firstValueFrom(server.ports$.pipe(filter((e) => e.port.name === 'br1-p3' && e.change === 'removed')));
    ovs.vsctl('del-port', 'br1', 'br1-p3');
    await removed;
    expect(session.ports.has(3)).toBe(false);
  });

  it('claims MASTER with a generation id, and OVS refuses a stale one', async () => {
    const reply = await session.setRole('master', 10n);
    expect(reply.role).toBe(2);
    const err = await session.setRole('master', 9n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfpErrorReply);
    expect((err as OfpErrorReply).errorName).toMatch(/STALE/);
    expect((err as OfpErrorReply).requestType).toBe('role_request');
    await session.setRole('equal', 10n);
  });

  it('applies a bundle all or nothing: a message OVS refuses as it is added leaves the good ones uninstalled', async () => {
    const good = parseFlow('table=5,priority=10,ip,nw_src=10.0.0.1,actions=output:1');
    const good2 = parseFlow('table=5,priority=11,ip,nw_src=10.0.0.2,actions=output:2');
    // goto_table must go forward: OVS refuses table 5 -> 2 when the message is added to the bundle.
    const bad = parseFlow('table=5,priority=12,ip,nw_src=10.0.0.3,actions=goto_table:2');
    const goodBytes = [...indexDesired([desiredFromFlowMod(good)]).values()][0].bytes;
    for (const first of [good, goodBytes]) {
      const err = await session.bundle([first, bad, good2]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BundleMessageError);
      expect(err).toMatchObject({ index: 1, messageType: 'flow_mod', requestType: 'bundle_add_message' });
      expect((err as BundleMessageError).errorName).toMatch(/BAD_TABLE_ID/);
      expect(ovs.dumpFlows('br1')).toEqual([]); // before the fix OVS committed good and good2
    }
    expect(session.isClosed).toBe(false);
    expect(lines().filter((l) => l.msg === 'switch reported an error for no pending request')).toEqual([]);
    await session.bundle([goodBytes, good2]);
    expect(ovs.dumpFlows('br1')).toEqual([
      'table=5, priority=10,ip,nw_src=10.0.0.1 actions=output:1',
      'table=5, priority=11,ip,nw_src=10.0.0.2 actions=output:2',
    ]);
    ovs.ofctl('del-flows', 'br1');
  });

  it('refuses a second bridge claiming an identity that is already connected', async () => {
    ovs.addBridge('br2', 'h2 br-tun', server.port, '00000000000000b2');
    const deadline = Date.now() + 10_000;
    const refused = () => lines().some((l) => String(l.msg).includes('h2/br-tun is already connected'));
    while (!refused() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(refused()).toBe(true);
    expect(server.switches.get('h2/br-tun')).toBe(session);
    expect(session.isClosed).toBe(false);
    ovs.vsctl('del-br', 'br2');
  });
});

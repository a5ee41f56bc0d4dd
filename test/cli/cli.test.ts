import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectIdOf } from '../../src/apps/cookies.js';
import { appId, filterFlowLines, type FlowFilter } from '../../src/cli/flow-filter.js';
import { flowsCommand } from '../../src/cli/flows.js';
import { App, makeCookie } from '../../src/config/pipeline.js';
import { ofpPrintCommand } from '../../src/cli/ofp-print.js';
import { encodeMessageToBuffer, type OfMessage } from '../../src/openflow/messages/index.js';
import { buildUdpFrame } from '../../src/packets/index.js';
import { ADMIN, TestApi } from '../api/harness.js';
import { ovsFlowMods } from '../support/ovs-samples.js';

function sink() {
  let text = '';
  return { write: (s: string) => (text += s), get text() { return text; } };
}

function ovsPrint(hex: string): string {
  const r = spawnSync('ovs-ofctl', ['ofp-print', hex], { encoding: 'utf8' });
  if (r.error) throw new Error(`ovs-ofctl is required: ${r.error.message}`);
  return r.stdout.trim();
}

describe('neutrino ofp-print', () => {
  it('prints OVS-made messages exactly as ovs-ofctl ofp-print does', () => {
    const flows = ['table=3,priority=10,ct_state=+est+trk,ip,actions=ct(commit,zone=1),goto_table:30', 'priority=0,actions=drop'];
    for (const msg of ovsFlowMods(flows, 'OpenFlow13')) {
      const hex = Buffer.from(msg.bytes).toString('hex');
      const out = sink();
      expect(ofpPrintCommand(hex, out, sink())).toBe(0);
      expect(out.text.trim()).toBe(ovsPrint(hex));
    }
  });

  it('prints the packet a PACKET_IN carries on its second line, as ovs-ofctl ofp-print does', () => {
    const frame = buildUdpFrame({ ethSrc: 0xfa163e112233, ethDst: 0xffffffffffff, ipSrc: 0, ipDst: 0xffffffff, srcPort: 68, dstPort: 67, payload: new Uint8Array(240) });
    const pin: OfMessage = { type: 'packet_in', version: 4, xid: 1, bufferId: 0xffffffff, totalLen: frame.length, reason: 1, tableId: 0, cookie: 0n, match: [], data: frame };
    const hex = encodeMessageToBuffer(pin).toString('hex');
    const out = sink();
    expect(ofpPrintCommand(hex, out, sink())).toBe(0);
    expect(out.text.trim()).toBe(ovsPrint(hex));
    expect(out.text.split('\n')[1]).toMatch(/^udp,vlan_tci=0x0000,dl_src=fa:16:3e:11:22:33,.*,tp_src=68,tp_dst=67 udp_csum:[0-9a-f]+$/);
  });

  it('says clearly when the bytes do not decode, and exits 1', () => {
    for (const [hex, why] of [
      ['0400', /shorter than the 8-byte OpenFlow header/],
      ['040e00100000000100', /header says 16 bytes but 9 were given/],
      ['zz', /not an even number of hex digits/],
      ['040e000c0000000100000000', /do not decode/],
    ] as const) {
      const err = sink();
      expect(ofpPrintCommand(hex, sink(), err)).toBe(1);
      expect(err.text).toMatch(why);
    }
  });

  it('runs as the neutrino command', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'ofp-print', '04 02 00 08 00 00 00 07'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(ovsPrint('0402000800000007'));
  });
});

describe('neutrino flows', () => {
  let api: TestApi;
  const asked: string[] = [];
  beforeAll(async () => {
    api = await TestApi.start({
      flowsFor: (host, bridge) => {
        asked.push(`${host}/${bridge}`);
        return { desired: ' priority=0 actions=drop\n', installed: '', diff: '+ priority=0 actions=drop\n' };
      },
    });
    const made = await api.call('POST', '/v1/hosts', { host: { name: 'h1', tunnel_ip: '192.0.2.11' } });
    expect(made.status).toBe(201);
  });
  afterAll(() => api?.stop());

  it('prints the three views of a bridge from the controller API', async () => {
    const out = sink();
    expect(await flowsCommand('h1', 'br-int', { api: api.url, token: ADMIN, show: 'all' }, out, sink())).toBe(0);
    expect(asked).toEqual(['h1/br-int']);
    expect(out.text).toBe('# desired (h1 br-int)\n priority=0 actions=drop\n# installed (h1 br-int)\n# diff (h1 br-int)\n+ priority=0 actions=drop\n');
  });

  it('reports the API refusal (unknown host, no token) and exits 1', async () => {
    const err = sink();
    expect(await flowsCommand('nope', 'br-int', { api: api.url, token: ADMIN, show: 'diff' }, sink(), err)).toBe(1);
    expect(err.text).toMatch(/404/);
    const err2 = sink();
    expect(await flowsCommand('h1', 'br-int', { api: api.url, show: 'diff' }, sink(), err2)).toBe(1);
    expect(err2.text).toMatch(/401/);
  });
});

describe('neutrino run options', () => {
  // Refused before anything starts: no store file, no listener.
  it('refuses a DHCP lease under 2 minutes and a domain that is not a DNS name, naming the option', () => {
    for (const [args, why] of [
      [['--dhcp-lease', '5'], /'--dhcp-lease <seconds>' argument '5' is invalid\. expected whole seconds, at least 120/],
      [['--dhcp-domain', 'not a domain'], /'--dhcp-domain <domain>' argument 'not a domain' is invalid/],
      [['--audit-interval', '-1'], /'--audit-interval <seconds>' argument '-1' is invalid/],
    ] as const) {
      const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'run', '--db', '/nonexistent/dir/x.db', ...args], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(why);
    }
  });
});

describe('neutrino flows --owner / --app', () => {
  const PORT = '0a1b2c3d-4e5f-4a00-8000-000000000001';
  const dhcp = makeCookie(App.DHCP, objectIdOf(PORT)).toString(16);
  const l2 = makeCookie(App.LOCAL_SWITCHING, objectIdOf(PORT)).toString(16);
  const other = makeCookie(App.DHCP, objectIdOf('ffeeddcc-4e5f-4a00-8000-000000000002')).toString(16);
  const text = [
    ` cookie=0x${dhcp}, table=0, priority=12,udp,in_port=7,tp_src=68,tp_dst=67 actions=CONTROLLER:65535`,
    ` cookie=0x${l2}, table=0, priority=10,in_port=7 actions=set_field:0x1->reg6,goto_table:60`,
    ` cookie=0x${other}, table=0, priority=12,udp,in_port=8,tp_src=68,tp_dst=67 actions=CONTROLLER:65535`,
    ' table=0, priority=0 actions=drop',
    '',
  ].join('\n');

  it('keeps the lines whose cookie names the owner and/or the app, nothing else', () => {
    const lines = (f: FlowFilter): string[] => filterFlowLines(text, f).split('\n').filter(Boolean).map((l) => l.split(',')[0]);
    expect(lines({ owner: PORT })).toEqual([` cookie=0x${dhcp}`, ` cookie=0x${l2}`]);
    expect(lines({ app: 'DHCP' })).toEqual([` cookie=0x${dhcp}`, ` cookie=0x${other}`]);
    expect(lines({ owner: PORT, app: 'local-switching' })).toEqual([` cookie=0x${l2}`]);
    expect(filterFlowLines(text, {})).toBe(text);
    expect(appId('no-such-app')).toBeUndefined();
  });
});

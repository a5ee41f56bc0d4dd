import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessageToBuffer, errorName, failedRequest, formatMessage } from '../../src/openflow/messages/index.js';
import type { BundleAddMessage, BundleControl, ErrorMsg, FlowRemoved, NxPacketIn2, OfMessage, PacketIn, PortStatus } from '../../src/openflow/messages/index.js';
import { CAPTURED_ASYNC, CAPTURED_FRAMES, CAPTURED_TABLE_FEATURES_ENTRIES } from './messages-captured.js';
import { ofpPrint } from './messages-ovs.js';

/** Real traffic between ovs-ofctl and ovs-vswitchd: decode, re-encode, name like ofp-print. */

const frames = CAPTURED_FRAMES.map((f) => ({ dir: f.dir, bytes: Buffer.from(f.hex, 'hex') }));
const decoded: OfMessage[] = frames.map((f) => decodeMessage(f.bytes));

describe('captured OVS traffic', () => {
  it('decodes every frame into a modelled message (none unknown) and re-encodes it byte-identically', () => {
    decoded.forEach((m, i) => {
      expect(m.type, CAPTURED_FRAMES[i].hex.slice(0, 40)).not.toBe('unknown');
      expect(encodeMessageToBuffer(m).toString('hex'), m.type).toBe(CAPTURED_FRAMES[i].hex);
    });
  });

  it('names every message as ovs-ofctl ofp-print does, and prints the common ones identically', () => {
    decoded.forEach((m, i) => {
      const ovs = ofpPrint(frames[i].bytes);
      const mine = formatMessage(m);
      expect(mine.split(' (')[0], ovs).toBe(ovs.split(' (')[0]);
      const exact = ['hello', 'error', 'bundle_control', 'features_request', 'barrier_request', 'barrier_reply', 'get_config_reply', 'flow_mod', 'group_mod', 'meter_mod'];
      if (exact.includes(m.type) || (m.type === 'multipart_reply' && ['desc', 'flow', 'aggregate', 'table', 'port_stats', 'queue', 'group_desc', 'port_desc', 'meter_config', 'meter', 'group', 'meter_features'].includes(m.body.kind))) {
        expect(mine, m.type).toBe(ovs);
      }
    });
  });

  it('sees OF1.3 bundles as ONF extension 230 and OF1.4 bundles natively, with the flow mod inside', () => {
    const controls = decoded.filter((m): m is BundleControl => m.type === 'bundle_control');
    expect(controls.map((c) => [c.version, c.ctrlType, c.flags])).toEqual(
      expect.arrayContaining([
        [4, 0, 3],
        [4, 1, 0],
        [4, 4, 3],
        [4, 5, 0],
        [5, 0, 3],
        [5, 5, 0],
      ]),
    );
    const onf = frames.find((f, i) => decoded[i].type === 'bundle_control' && decoded[i].version === 4)!;
    expect(onf.bytes.readUInt8(1)).toBe(4);
    expect(onf.bytes.readUInt32BE(8)).toBe(0x4f4e4600);
    const adds = decoded.filter((m): m is BundleAddMessage => m.type === 'bundle_add_message');
    expect(adds.length).toBeGreaterThanOrEqual(3);
    for (const a of adds) {
      expect(a.message.type).toBe('flow_mod');
      expect(a.message.xid).toBe(a.xid);
    }
    expect(adds.some((a) => a.version === 5)).toBe(true);
  });

  it('decodes the errors OVS sent back to names, with the failing request', () => {
    const errors = decoded.filter((m): m is ErrorMsg => m.type === 'error');
    const names = errors.map((e) => errorName(e.version, e.errType, e.code, e.experimenter));
    expect(names).toEqual(expect.arrayContaining(['OFPBAC_BAD_OUT_GROUP', 'OFPBFC_MSG_FAILED']));
    const requests = errors.filter((e, i) => names[i] === 'OFPBAC_BAD_OUT_GROUP').map((e) => failedRequest(e));
    // Once inside a bundle (OVS echoes the BUNDLE_ADD_MESSAGE), once as a plain FLOW_MOD.
    expect(requests.map((r) => r?.type).sort()).toEqual(['bundle_add_message', 'flow_mod']);
    for (const r of requests) {
      const fm = r?.type === 'bundle_add_message' ? r.message : r;
      expect(fm).toMatchObject({ type: 'flow_mod', priority: 5 });
    }
  });
});

describe('captured asynchronous messages (ovs-ofctl monitor)', () => {
  const asyncFrames = CAPTURED_ASYNC.map((f) => Buffer.from(f.hex, 'hex'));
  const msgs = asyncFrames.map((b) => decodeMessage(b));

  it('decode, re-encode byte-identically and are named like ofp-print', () => {
    msgs.forEach((m, i) => {
      expect(m.type).not.toBe('unknown');
      expect(encodeMessageToBuffer(m).equals(asyncFrames[i]), m.type).toBe(true);
      const ovs = ofpPrint(asyncFrames[i]);
      expect(formatMessage(m).split(' (')[0]).toBe(ovs.split(' (')[0]);
      // Packet-ins print the parsed packet too; a paused NXT_PACKET_IN2 prints its continuation (which we do
      // not decode) before it, so there we only match the start.
      if (m.type === 'packet_in' || (m.type === 'nx_packet_in2' && !m.continuation)) expect(formatMessage(m)).toBe(ovs);
      if (m.type === 'nx_packet_in2') expect(ovs.startsWith(formatMessage(m)), `${formatMessage(m)}\n${ovs}`).toBe(true);
      if (m.type === 'port_status' || m.type === 'flow_removed') expect(formatMessage(m)).toBe(ovs);
    });
  });

  it('carries the packet, reason, match and cookie of PACKET_IN and NXT_PACKET_IN2', () => {
    const pin = msgs.find((m): m is PacketIn => m.type === 'packet_in')!;
    expect(pin).toMatchObject({ reason: 1, tableId: 0, cookie: 0n, bufferId: 0xffffffff, totalLen: 118 });
    expect(pin.data.length).toBe(118);
    expect(pin.match.length).toBeGreaterThan(0);
    const pin2 = msgs.filter((m): m is NxPacketIn2 => m.type === 'nx_packet_in2');
    const paused = pin2.find((m) => m.userdata !== undefined)!;
    expect(Array.from(paused.userdata!)).toEqual([1, 2, 3]);
    expect(paused.continuation!.length).toBeGreaterThan(0);
    expect(paused.packet.length).toBe(42);
    expect(paused.metadata.length).toBeGreaterThan(0);
  });

  it('turns a paused NXT_PACKET_IN2 into an NXT_RESUME that OVS accepts', () => {
    const paused = msgs.find((m): m is NxPacketIn2 => m.type === 'nx_packet_in2' && m.continuation !== undefined)!;
    const resume: OfMessage = { ...paused, type: 'nx_resume', xid: 5 };
    const bytes = encodeMessageToBuffer(resume);
    const ovs = ofpPrint(bytes);
    expect(ovs).not.toContain('***');
    expect(ovs.startsWith(formatMessage(resume))).toBe(true);
    expect(ovs).toContain('continuation.odp_port=2');
    expect(decodeMessage(bytes)).toEqual(resume);
  });

  it('reports port additions and removed flows', () => {
    const ps = msgs.filter((m): m is PortStatus => m.type === 'port_status');
    expect(ps.map((p) => [p.reason, p.port.portNo, p.port.name])).toContainEqual([0, 2, 'p2']);
    const fr = msgs.filter((m): m is FlowRemoved => m.type === 'flow_removed');
    expect(fr.map((f) => [f.reason, f.tableId, f.cookie])).toEqual(expect.arrayContaining([[2, 5, 9n], [0, 6, 10n]]));
  });
});

describe('TABLE_FEATURES reply entries from OVS', () => {
  it('decode with their properties kept raw, re-encode identically and print without errors', () => {
    const entries = Buffer.from(CAPTURED_TABLE_FEATURES_ENTRIES.join(''), 'hex');
    // OVS's entries, wrapped in a one-part multipart reply header of our own.
    const head = Buffer.alloc(16);
    head.writeUInt8(4, 0);
    head.writeUInt8(19, 1);
    const msg = Buffer.concat([head, entries]);
    msg.writeUInt16BE(msg.length, 2);
    msg.writeUInt16BE(12, 8);
    const m = decodeMessage(msg);
    expect(m.type === 'multipart_reply' && m.body.kind).toBe('table_features');
    if (m.type !== 'multipart_reply' || m.body.kind !== 'table_features') return;
    expect(m.body.tables.map((t) => [t.tableId, t.name, t.maxEntries])).toEqual([
      [0, '', 1000000], // OVS leaves unnamed tables' names empty
      [1, '', 1000000],
    ]);
    expect(m.body.tables[0].properties.length).toBeGreaterThan(1000);
    expect(encodeMessageToBuffer(m).equals(msg)).toBe(true);
    const ovs = ofpPrint(msg);
    expect(ovs).not.toContain('***');
    expect(ovs.split(' (')[0]).toBe(formatMessage(m).split(' (')[0]);
  });
});

import { decodeMessage } from '../../src/openflow/messages/index.js';
import type { FlowMod, GroupMod, OfMessage } from '../../src/openflow/messages/index.js';
import { ovsFlowMod, ovsGroupMod } from './messages-ovs.js';

/**
 * One instance of every message type we encode. Matches, instructions and actions are taken
 * from OVS-generated FLOW_MOD / GROUP_MOD bytes, so no field values are typed in by hand.
 */
export function sampleMessages(): OfMessage[] {
  const fm = decodeMessage(ovsFlowMod('table=1,priority=7,ip,nw_src=10.0.0.0/8,in_port=3 actions=output:2,resubmit(,5)').bytes) as FlowMod;
  const gm = decodeMessage(ovsGroupMod('group_id=9,type=select,bucket=weight:10,watch_port:2,actions=output:1,bucket=weight:20,actions=output:2').bytes) as GroupMod;
  const actions = gm.buckets[0].actions;
  const match = fm.match;
  const v = 4;
  const z = new Uint8Array(0);
  const port = {
    portNo: 1,
    hwAddr: 0x0a0000000001,
    name: 'tap1',
    config: 1,
    state: 4,
    curr: 0x802,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 10000,
    maxSpeed: 10000,
  };
  return [
    { type: 'hello', version: 6, xid: 1, elements: [{ kind: 'versionbitmap', bitmaps: [0x52] }] },
    { type: 'error', version: v, xid: 2, errType: 1, code: 1, data: Uint8Array.from([4, 5, 0, 8, 0, 0, 0, 9]) },
    { type: 'error', version: v, xid: 2, errType: 0xffff, code: 2, experimenter: 0x2320, data: Uint8Array.from([4, 5, 0, 8, 0, 0, 0, 9]) },
    { type: 'echo_request', version: v, xid: 3, data: Uint8Array.from([1, 2, 3]) },
    { type: 'echo_reply', version: v, xid: 3, data: z },
    { type: 'features_request', version: v, xid: 4 },
    { type: 'features_reply', version: v, xid: 4, datapathId: 0xabcn, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 },
    { type: 'get_config_request', version: v, xid: 5 },
    { type: 'get_config_reply', version: v, xid: 5, flags: 0, missSendLen: 0xffff },
    { type: 'set_config', version: v, xid: 6, flags: 1, missSendLen: 128 },
    { type: 'packet_in', version: v, xid: 7, bufferId: 0xffffffff, totalLen: 4, reason: 1, tableId: 3, cookie: 5n, match: match.slice(0, 1), data: Uint8Array.from([1, 2, 3, 4]) },
    { type: 'flow_removed', version: v, xid: 8, cookie: 5n, priority: 10, reason: 0, tableId: 3, durationSec: 1, durationNsec: 2, idleTimeout: 5, hardTimeout: 6, packetCount: 7n, byteCount: 8n, match },
    { type: 'port_status', version: v, xid: 9, reason: 0, port },
    { type: 'packet_out', version: v, xid: 10, bufferId: 0xffffffff, inPort: 0xfffffffd, actions, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]) },
    fm,
    { ...fm, xid: 11, command: 3, cookie: 0x10n, cookieMask: 0xffn, outPort: 2, outGroup: 7, instructions: [] },
    gm,
    { type: 'group_mod', version: v, xid: 12, command: 2, groupType: 0, groupId: 9, buckets: [] },
    { type: 'port_mod', version: v, xid: 13, portNo: 1, hwAddr: 0x0a0000000001, config: 1, mask: 1, advertise: 0 },
    { type: 'table_mod', version: v, xid: 14, tableId: 0xff, config: 3 },
    { type: 'meter_mod', version: v, xid: 15, command: 0, flags: 5, meterId: 1, bands: [{ type: 1, rate: 1000, burstSize: 100 }, { type: 2, rate: 2000, burstSize: 0, precLevel: 1 }] },
    { type: 'multipart_request', version: v, xid: 16, flags: 0, body: { kind: 'desc' } },
    { type: 'multipart_request', version: v, xid: 17, flags: 0, body: { kind: 'flow', tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match } },
    { type: 'multipart_request', version: v, xid: 18, flags: 0, body: { kind: 'aggregate', tableId: 1, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 1n, cookieMask: 1n, match: [] } },
    { type: 'multipart_request', version: v, xid: 19, flags: 0, body: { kind: 'port_stats', portNo: 0xffffffff } },
    { type: 'multipart_request', version: v, xid: 20, flags: 0, body: { kind: 'port_desc' } },
    { type: 'multipart_request', version: v, xid: 21, flags: 0, body: { kind: 'group', groupId: 0xfffffffc } },
    { type: 'multipart_request', version: v, xid: 22, flags: 0, body: { kind: 'group_desc' } },
    { type: 'multipart_request', version: v, xid: 23, flags: 0, body: { kind: 'meter_config', meterId: 0xffffffff } },
    { type: 'multipart_request', version: v, xid: 24, flags: 0, body: { kind: 'queue', portNo: 0xffffffff, queueId: 0xffffffff } },
    { type: 'multipart_request', version: v, xid: 25, flags: 0, body: { kind: 'table' } },
    { type: 'multipart_reply', version: v, xid: 26, flags: 0, body: { kind: 'desc', mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'br-int' } },
    { type: 'multipart_reply', version: v, xid: 27, flags: 1, body: { kind: 'flow', flows: [{ tableId: 1, durationSec: 1, durationNsec: 2, priority: 7, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie: 3n, packetCount: 4n, byteCount: 5n, match, instructions: fm.instructions }] } },
    { type: 'multipart_reply', version: v, xid: 28, flags: 0, body: { kind: 'aggregate', packetCount: 1n, byteCount: 2n, flowCount: 3 } },
    { type: 'multipart_reply', version: v, xid: 29, flags: 0, body: { kind: 'port_desc', ports: [port] } },
    { type: 'multipart_reply', version: v, xid: 30, flags: 0, body: { kind: 'group_desc', groups: [{ groupType: 1, groupId: 9, buckets: gm.buckets }] } },
    { type: 'multipart_reply', version: v, xid: 31, flags: 0, body: { kind: 'table', tables: [{ tableId: 0, activeCount: 5, lookupCount: 6n, matchedCount: 7n }] } },
    { type: 'multipart_reply', version: v, xid: 32, flags: 0, body: { kind: 'group', groups: [{ groupId: 9, refCount: 1, packetCount: 2n, byteCount: 3n, durationSec: 4, durationNsec: 5, bucketStats: [{ packetCount: 1n, byteCount: 2n }] }] } },
    { type: 'multipart_reply', version: v, xid: 33, flags: 0, body: { kind: 'meter_config', meters: [{ flags: 5, meterId: 1, bands: [{ type: 1, rate: 1000, burstSize: 100 }] }] } },
    { type: 'multipart_reply', version: v, xid: 34, flags: 0, body: { kind: 'meter_features', maxMeter: 100, bandTypes: 3, capabilities: 0xf, maxBands: 1, maxColor: 0 } },
    { type: 'multipart_reply', version: v, xid: 35, flags: 0, body: { kind: 'group_features', types: 15, capabilities: 7, maxGroups: [1, 2, 3, 4], actions: [1, 0, 0, 0] } },
    { type: 'multipart_reply', version: v, xid: 36, flags: 0, body: { kind: 'meter', meters: [{ meterId: 1, flowCount: 2, packetInCount: 3n, byteInCount: 4n, durationSec: 5, durationNsec: 6, bandStats: [{ packetBandCount: 1n, byteBandCount: 2n }] }] } },
    { type: 'multipart_reply', version: v, xid: 37, flags: 0, body: { kind: 'port_stats', ports: [{ portNo: 1, rxPackets: 1n, txPackets: 2n, rxBytes: 3n, txBytes: 4n, rxDropped: 5n, txDropped: 6n, rxErrors: 7n, txErrors: 8n, rxFrameErr: 9n, rxOverErr: 10n, rxCrcErr: 11n, collisions: 12n, durationSec: 13, durationNsec: 14 }] } },
    { type: 'multipart_reply', version: v, xid: 38, flags: 0, body: { kind: 'queue', queues: [{ portNo: 1, queueId: 2, txBytes: 3n, txPackets: 4n, txErrors: 5n, durationSec: 6, durationNsec: 7 }] } },
    { type: 'barrier_request', version: v, xid: 40 },
    { type: 'barrier_reply', version: v, xid: 40 },
    { type: 'role_request', version: v, xid: 41, role: 2, generationId: 5n },
    { type: 'role_reply', version: v, xid: 41, role: 3, generationId: 5n },
    { type: 'get_async_request', version: v, xid: 42 },
    { type: 'get_async_reply', version: v, xid: 42, packetInMask: [7, 1], portStatusMask: [7, 7], flowRemovedMask: [15, 1] },
    { type: 'set_async', version: v, xid: 43, packetInMask: [7, 1], portStatusMask: [7, 7], flowRemovedMask: [15, 1] },
    { type: 'bundle_control', version: v, xid: 44, bundleId: 1, ctrlType: 0, flags: 3, properties: z },
    { type: 'bundle_control', version: v, xid: 45, bundleId: 1, ctrlType: 5, flags: 0, properties: z },
    { type: 'bundle_add_message', version: v, xid: 46, bundleId: 1, flags: 3, message: { ...fm, xid: 46 }, properties: z },
    { type: 'bundle_control', version: 5, xid: 47, bundleId: 2, ctrlType: 4, flags: 1, properties: z },
    { type: 'bundle_add_message', version: 5, xid: 48, bundleId: 2, flags: 1, message: { ...fm, version: 5, xid: 48, importance: 3 }, properties: z },
    { type: 'nx_set_packet_in_format', version: v, xid: 49, format: 2 },
    { type: 'nx_set_controller_id', version: v, xid: 50, controllerId: 7 },
    { type: 'nx_packet_in2', version: v, xid: 51, packet: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]), tableId: 3, cookie: 5n, reason: 1, metadata: match.slice(0, 1), userdata: Uint8Array.from([1, 2, 3]), rawProperties: [] },
  ];
}

import type { Reader, Writer } from '../bytes.js';
import { decodeMatch, encodeMatch } from '../oxm/index.js';
import { decodeInstructions, encodeInstructions } from '../actions/index.js';
import { decodeBands, decodeBuckets, encodeBands, encodeBuckets } from './bucket-band.js';
import { copyBytes, patchLength } from './header.js';
import { fixedSize } from './lists.js';
import { readU64, writeU64 } from './flow-mod.js';
import type { FlowStats, GroupDesc, GroupStats, MeterConfig, MeterStats, PortStats, QueueStats, TableFeatures, TableStats } from './types.js';

/** One entry of each multipart reply list (OF1.3 layouts). */

export function encodeFlowStats(w: Writer, f: FlowStats): void {
  const start = w.pos;
  w.u16(0);
  w.u8(f.tableId);
  w.u8(0);
  w.u32(f.durationSec);
  w.u32(f.durationNsec);
  w.u16(f.priority);
  w.u16(f.idleTimeout);
  w.u16(f.hardTimeout);
  w.u16(f.flags);
  w.zeros(4);
  writeU64(w, f.cookie);
  w.u64(f.packetCount);
  w.u64(f.byteCount);
  encodeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
  patchLength(w, start, start);
}

export function decodeFlowStats(r: Reader): FlowStats {
  r.skip(2);
  const tableId = r.u8();
  r.skip(1);
  const durationSec = r.u32();
  const durationNsec = r.u32();
  const priority = r.u16();
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const flags = r.u16();
  r.skip(4);
  const cookie = readU64(r);
  const packetCount = r.u64();
  const byteCount = r.u64();
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r);
  return { tableId, durationSec, durationNsec, priority, idleTimeout, hardTimeout, flags, cookie, packetCount, byteCount, match, instructions };
}

export function decodeTableStats(r: Reader): TableStats {
  const tableId = r.u8();
  r.skip(3);
  return { tableId, activeCount: r.u32(), lookupCount: r.u64(), matchedCount: r.u64() };
}

const PORT_COUNTERS = [
  'rxPackets',
  'txPackets',
  'rxBytes',
  'txBytes',
  'rxDropped',
  'txDropped',
  'rxErrors',
  'txErrors',
  'rxFrameErr',
  'rxOverErr',
  'rxCrcErr',
  'collisions',
] as const;

export function encodePortStats(w: Writer, p: PortStats): void {
  w.u32(p.portNo);
  w.zeros(4);
  for (const k of PORT_COUNTERS) w.u64(p[k]);
  w.u32(p.durationSec);
  w.u32(p.durationNsec);
}

export function decodePortStats(r: Reader): PortStats {
  const portNo = r.u32();
  r.skip(4);
  const p = { portNo } as PortStats;
  for (const k of PORT_COUNTERS) p[k] = r.u64();
  p.durationSec = r.u32();
  p.durationNsec = r.u32();
  return p;
}

export function decodeQueueStats(r: Reader): QueueStats {
  return {
    portNo: r.u32(),
    queueId: r.u32(),
    txBytes: r.u64(),
    txPackets: r.u64(),
    txErrors: r.u64(),
    durationSec: r.u32(),
    durationNsec: r.u32(),
  };
}

export function encodeGroupStats(w: Writer, g: GroupStats): void {
  const start = w.pos;
  w.u16(0);
  w.zeros(2);
  w.u32(g.groupId);
  w.u32(g.refCount);
  w.zeros(4);
  w.u64(g.packetCount);
  w.u64(g.byteCount);
  w.u32(g.durationSec);
  w.u32(g.durationNsec);
  for (const b of g.bucketStats) {
    w.u64(b.packetCount);
    w.u64(b.byteCount);
  }
  patchLength(w, start, start);
}

export function decodeGroupStats(r: Reader): GroupStats {
  r.skip(4);
  const groupId = r.u32();
  const refCount = r.u32();
  r.skip(4);
  const g: GroupStats = {
    groupId,
    refCount,
    packetCount: r.u64(),
    byteCount: r.u64(),
    durationSec: r.u32(),
    durationNsec: r.u32(),
    bucketStats: [],
  };
  for (const c of fixedSize(r, 16, 'bucket counter', (br) => ({ packetCount: br.u64(), byteCount: br.u64() }))) g.bucketStats.push(c);
  return g;
}

export function decodeGroupDesc(r: Reader): GroupDesc {
  r.skip(2);
  const groupType = r.u8();
  r.skip(1);
  const groupId = r.u32();
  return { groupType, groupId, buckets: decodeBuckets(r) };
}

export function encodeMeterStats(w: Writer, s: MeterStats): void {
  const start = w.pos;
  w.u32(s.meterId);
  w.u16(0);
  w.zeros(6);
  w.u32(s.flowCount);
  w.u64(s.packetInCount);
  w.u64(s.byteInCount);
  w.u32(s.durationSec);
  w.u32(s.durationNsec);
  for (const b of s.bandStats) {
    w.u64(b.packetBandCount);
    w.u64(b.byteBandCount);
  }
  patchLength(w, start + 4, start);
}

export function decodeMeterStats(r: Reader): MeterStats {
  const meterId = r.u32();
  r.skip(8);
  const s: MeterStats = {
    meterId,
    flowCount: r.u32(),
    packetInCount: r.u64(),
    byteInCount: r.u64(),
    durationSec: r.u32(),
    durationNsec: r.u32(),
    bandStats: [],
  };
  s.bandStats = fixedSize(r, 16, 'meter band stats', (br) => ({ packetBandCount: br.u64(), byteBandCount: br.u64() }));
  return s;
}

export function decodeMeterConfig(r: Reader): MeterConfig {
  r.skip(2);
  const flags = r.u16();
  const meterId = r.u32();
  return { flags, meterId, bands: decodeBands(r) };
}

export function decodeTableFeatures(r: Reader): TableFeatures {
  r.skip(2);
  const tableId = r.u8();
  r.skip(5);
  return {
    tableId,
    name: r.str(32),
    metadataMatch: r.u64(),
    metadataWrite: r.u64(),
    config: r.u32(),
    maxEntries: r.u32(),
    properties: copyBytes(r, r.remaining),
  };
}

export function encodeTableStats(w: Writer, t: TableStats): void {
  w.u8(t.tableId);
  w.zeros(3);
  w.u32(t.activeCount);
  w.u64(t.lookupCount);
  w.u64(t.matchedCount);
}

export function encodeQueueStats(w: Writer, q: QueueStats): void {
  w.u32(q.portNo);
  w.u32(q.queueId);
  w.u64(q.txBytes);
  w.u64(q.txPackets);
  w.u64(q.txErrors);
  w.u32(q.durationSec);
  w.u32(q.durationNsec);
}

export function encodeGroupDesc(w: Writer, g: GroupDesc): void {
  const start = w.pos;
  w.u16(0);
  w.u8(g.groupType);
  w.u8(0);
  w.u32(g.groupId);
  encodeBuckets(w, g.buckets);
  patchLength(w, start, start);
}

export function encodeMeterConfig(w: Writer, c: MeterConfig): void {
  const start = w.pos;
  w.u16(0);
  w.u16(c.flags);
  w.u32(c.meterId);
  encodeBands(w, c.bands);
  patchLength(w, start, start);
}

export function encodeTableFeatures(w: Writer, t: TableFeatures): void {
  const start = w.pos;
  w.u16(0);
  w.u8(t.tableId);
  w.zeros(5);
  w.str(t.name, 32);
  w.u64(t.metadataMatch);
  w.u64(t.metadataWrite);
  w.u32(t.config);
  w.u32(t.maxEntries);
  w.bytes(t.properties);
  patchLength(w, start, start);
}

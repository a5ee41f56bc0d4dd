import type { Match } from '../oxm/index.js';
import type { Instruction } from '../actions/index.js';
import type { Bucket, Header, MeterBand, OfPort } from './types.js';

/** OFPT_MULTIPART_REQUEST / REPLY bodies (OF1.3), one `kind` per stats type. */

export type MultipartRequestBody =
  | { kind: 'desc' | 'table' | 'port_desc' | 'group_desc' | 'group_features' | 'meter_features' }
  | { kind: 'flow' | 'aggregate'; tableId: number; outPort: number; outGroup: number; cookie: bigint; cookieMask: bigint; match: Match }
  | { kind: 'port_stats'; portNo: number }
  | { kind: 'queue'; portNo: number; queueId: number }
  | { kind: 'group'; groupId: number }
  | { kind: 'meter' | 'meter_config'; meterId: number }
  /** TABLE_FEATURES requests may carry tables to set: kept raw. */
  | { kind: 'table_features'; data: Uint8Array }
  | { kind: 'raw'; mpType: number; data: Uint8Array };

export interface MultipartRequest extends Header {
  type: 'multipart_request';
  flags: number;
  body: MultipartRequestBody;
}

export interface DescStats {
  mfrDesc: string;
  hwDesc: string;
  swDesc: string;
  serialNum: string;
  dpDesc: string;
}
export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
  instructions: Instruction[];
}
export interface TableStats {
  tableId: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
}
export interface PortStats {
  portNo: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxFrameErr: bigint;
  rxOverErr: bigint;
  rxCrcErr: bigint;
  collisions: bigint;
  durationSec: number;
  durationNsec: number;
}
export interface QueueStats {
  portNo: number;
  queueId: number;
  txBytes: bigint;
  txPackets: bigint;
  txErrors: bigint;
  durationSec: number;
  durationNsec: number;
}
export interface BucketCounter {
  packetCount: bigint;
  byteCount: bigint;
}
export interface GroupStats {
  groupId: number;
  refCount: number;
  packetCount: bigint;
  byteCount: bigint;
  durationSec: number;
  durationNsec: number;
  bucketStats: BucketCounter[];
}
export interface GroupDesc {
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}
export interface GroupFeatures {
  types: number;
  capabilities: number;
  maxGroups: [number, number, number, number];
  actions: [number, number, number, number];
}
export interface MeterBandStats {
  packetBandCount: bigint;
  byteBandCount: bigint;
}
export interface MeterStats {
  meterId: number;
  flowCount: number;
  packetInCount: bigint;
  byteInCount: bigint;
  durationSec: number;
  durationNsec: number;
  bandStats: MeterBandStats[];
}
export interface MeterConfig {
  flags: number;
  meterId: number;
  bands: MeterBand[];
}
export interface MeterFeatures {
  maxMeter: number;
  bandTypes: number;
  capabilities: number;
  maxBands: number;
  maxColor: number;
}
export interface TableFeatures {
  tableId: number;
  name: string;
  metadataMatch: bigint;
  metadataWrite: bigint;
  config: number;
  maxEntries: number;
  /** Property TLVs kept raw (instructions, next tables, match fields... as the switch lists them). */
  properties: Uint8Array;
}

export type MultipartReplyBody =
  | ({ kind: 'desc' } & DescStats)
  | { kind: 'flow'; flows: FlowStats[] }
  | { kind: 'aggregate'; packetCount: bigint; byteCount: bigint; flowCount: number }
  | { kind: 'table'; tables: TableStats[] }
  | { kind: 'port_stats'; ports: PortStats[] }
  | { kind: 'port_desc'; ports: OfPort[] }
  | { kind: 'queue'; queues: QueueStats[] }
  | { kind: 'group'; groups: GroupStats[] }
  | { kind: 'group_desc'; groups: GroupDesc[] }
  | ({ kind: 'group_features' } & GroupFeatures)
  | { kind: 'meter'; meters: MeterStats[] }
  | { kind: 'meter_config'; meters: MeterConfig[] }
  | ({ kind: 'meter_features' } & MeterFeatures)
  | { kind: 'table_features'; tables: TableFeatures[] }
  | { kind: 'raw'; mpType: number; data: Uint8Array };

export interface MultipartReply extends Header {
  type: 'multipart_reply';
  flags: number;
  body: MultipartReplyBody;
}

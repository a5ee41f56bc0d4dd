import type { Match } from '../oxm/index.js';
import type { Action, Instruction } from '../actions/index.js';
import type { MultipartReply, MultipartRequest } from './multipart-types.js';

export type * from './multipart-types.js';

/** Fields every message carries. `version` is the header's (4 = OF1.3), `xid` its transaction id. */
export interface Header {
  version: number;
  xid: number;
}

export interface HelloVersionBitmap {
  kind: 'versionbitmap';
  /** 32-bit words as on the wire: bit n of word i set = version 32*i+n supported. */
  bitmaps: number[];
}
export interface HelloRawElement {
  kind: 'raw';
  elemType: number;
  /** Element payload after its 4-byte header, without the padding to 8. */
  data: Uint8Array;
}
export type HelloElement = HelloVersionBitmap | HelloRawElement;

export interface Hello extends Header {
  type: 'hello';
  elements: HelloElement[];
}

export interface ErrorMsg extends Header {
  type: 'error';
  errType: number;
  code: number;
  /** Present when errType is OFPET_EXPERIMENTER (0xffff): e.g. NX_VENDOR_ID, ONF_VENDOR_ID. */
  experimenter?: number;
  /** Usually the start of the failing request (header first); text for HELLO_FAILED. */
  data: Uint8Array;
}

export interface EchoRequest extends Header {
  type: 'echo_request';
  data: Uint8Array;
}
export interface EchoReply extends Header {
  type: 'echo_reply';
  data: Uint8Array;
}

/** An experimenter message we do not model (other vendors, other NXT subtypes). */
export interface Experimenter extends Header {
  type: 'experimenter';
  experimenter: number;
  expType: number;
  data: Uint8Array;
}

export interface FeaturesRequest extends Header {
  type: 'features_request';
}
export interface FeaturesReply extends Header {
  type: 'features_reply';
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  auxiliaryId: number;
  capabilities: number;
  reserved: number;
}

export interface GetConfigRequest extends Header {
  type: 'get_config_request';
}
export interface GetConfigReply extends Header {
  type: 'get_config_reply';
  flags: number;
  missSendLen: number;
}
export interface SetConfig extends Header {
  type: 'set_config';
  flags: number;
  missSendLen: number;
}

export interface PacketIn extends Header {
  type: 'packet_in';
  bufferId: number;
  totalLen: number;
  reason: number;
  tableId: number;
  cookie: bigint;
  match: Match;
  data: Uint8Array;
}

export interface FlowRemoved extends Header {
  type: 'flow_removed';
  cookie: bigint;
  priority: number;
  reason: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}

/** `ofp_port` (OF1.3, 64 bytes). Speeds in kbps. */
export interface OfPort {
  portNo: number;
  hwAddr: number;
  name: string;
  config: number;
  state: number;
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  currSpeed: number;
  maxSpeed: number;
}

export interface PortStatus extends Header {
  type: 'port_status';
  reason: number;
  port: OfPort;
}

export interface PacketOut extends Header {
  type: 'packet_out';
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Uint8Array;
}

export interface FlowMod extends Header {
  type: 'flow_mod';
  cookie: bigint;
  cookieMask: bigint;
  tableId: number;
  /** FlowModCommand.Add=0 Modify=1 ModifyStrict=2 Delete=3 DeleteStrict=4 */
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  outGroup: number;
  flags: number;
  /** OF1.4+ only (a pad field in OF1.3); 0 otherwise. */
  importance: number;
  match: Match;
  instructions: Instruction[];
}

export interface Bucket {
  weight: number;
  watchPort: number;
  watchGroup: number;
  actions: Action[];
}
export interface GroupMod extends Header {
  type: 'group_mod';
  command: number;
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

export interface PortMod extends Header {
  type: 'port_mod';
  portNo: number;
  hwAddr: number;
  config: number;
  mask: number;
  advertise: number;
}

export interface TableMod extends Header {
  type: 'table_mod';
  tableId: number;
  config: number;
}

export type MeterBand =
  | { type: 1; rate: number; burstSize: number } // OFPMBT_DROP
  | { type: 2; rate: number; burstSize: number; precLevel: number } // OFPMBT_DSCP_REMARK
  | { type: 0xffff; rate: number; burstSize: number; experimenter: number; data: Uint8Array };

export interface MeterMod extends Header {
  type: 'meter_mod';
  command: number;
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export interface BarrierRequest extends Header {
  type: 'barrier_request';
}
export interface BarrierReply extends Header {
  type: 'barrier_reply';
}

export interface RoleRequest extends Header {
  type: 'role_request';
  role: number;
  generationId: bigint;
}
export interface RoleReply extends Header {
  type: 'role_reply';
  role: number;
  generationId: bigint;
}

/** OF1.3 async masks: index 0 applies as master/equal, 1 as slave. */
export interface AsyncConfig {
  packetInMask: [number, number];
  portStatusMask: [number, number];
  flowRemovedMask: [number, number];
}
export interface GetAsyncRequest extends Header {
  type: 'get_async_request';
}
export interface GetAsyncReply extends Header, AsyncConfig {
  type: 'get_async_reply';
}
export interface SetAsync extends Header, AsyncConfig {
  type: 'set_async';
}

/**
 * Bundle control, either native OF1.4+ (version ≥ 5) or the ONF extension 230 OVS speaks in
 * OF1.3 (version 4): the header version picks the wire form.
 */
export interface BundleControl extends Header {
  type: 'bundle_control';
  bundleId: number;
  /** BundleCtrlType */
  ctrlType: number;
  flags: number;
  /** Raw property TLVs (rarely used). */
  properties: Uint8Array;
}
export interface BundleAddMessage extends Header {
  type: 'bundle_add_message';
  bundleId: number;
  flags: number;
  /** The wrapped request, a whole message with its own header (same version and xid as a rule). */
  message: OfMessage;
  properties: Uint8Array;
}

/** NXT_PACKET_IN2 (and the same properties in NXT_RESUME). Unknown properties are kept raw. */
export interface NxPacketIn2Props {
  packet: Uint8Array;
  fullLen?: number;
  bufferId?: number;
  tableId?: number;
  cookie?: bigint;
  reason?: number;
  metadata: Match;
  userdata?: Uint8Array;
  /** Opaque continuation to hand back in NXT_RESUME. */
  continuation?: Uint8Array;
  /** Properties not listed above, each a whole TLV with its padding. */
  rawProperties: Uint8Array[];
}
export interface NxPacketIn2 extends Header, NxPacketIn2Props {
  type: 'nx_packet_in2';
}
export interface NxResume extends Header, NxPacketIn2Props {
  type: 'nx_resume';
}
export interface NxSetPacketInFormat extends Header {
  type: 'nx_set_packet_in_format';
  format: number;
}
export interface NxSetControllerId extends Header {
  type: 'nx_set_controller_id';
  controllerId: number;
}

/** Any message type we do not model; re-encodes byte-identically. */
export interface UnknownMessage extends Header {
  type: 'unknown';
  rawType: number;
  body: Uint8Array;
}

export type OfMessage =
  | Hello
  | ErrorMsg
  | EchoRequest
  | EchoReply
  | Experimenter
  | FeaturesRequest
  | FeaturesReply
  | GetConfigRequest
  | GetConfigReply
  | SetConfig
  | PacketIn
  | FlowRemoved
  | PortStatus
  | PacketOut
  | FlowMod
  | GroupMod
  | PortMod
  | TableMod
  | MeterMod
  | MultipartRequest
  | MultipartReply
  | BarrierRequest
  | BarrierReply
  | RoleRequest
  | RoleReply
  | GetAsyncRequest
  | GetAsyncReply
  | SetAsync
  | BundleControl
  | BundleAddMessage
  | NxPacketIn2
  | NxResume
  | NxSetPacketInFormat
  | NxSetControllerId
  | UnknownMessage;

export type OfMessageType = OfMessage['type'];

/** Wire constants of OpenFlow 1.3–1.5 and the Nicira/ONF extensions a Neutron-style controller uses. */

export const OFP10_VERSION = 0x01;
export const OFP11_VERSION = 0x02;
export const OFP12_VERSION = 0x03;
export const OFP13_VERSION = 0x04;
export const OFP14_VERSION = 0x05;
export const OFP15_VERSION = 0x06;

export const OFP_HEADER_LEN = 8;
/** Largest OpenFlow message: the 16-bit length field. */
export const OFP_MAX_MSG_LEN = 0xffff;

/** `ofp_type` values (OF1.3 numbering; OF1.4 adds 30–34). Types 0–4 are common to every version. */
export const OfpType = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  QUEUE_GET_CONFIG_REQUEST: 22,
  QUEUE_GET_CONFIG_REPLY: 23,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
  ROLE_STATUS: 30,
  TABLE_STATUS: 31,
  REQUESTFORWARD: 32,
  BUNDLE_CONTROL: 33,
  BUNDLE_ADD_MESSAGE: 34,
} as const;

export const OFPHET_VERSIONBITMAP = 1;

export const FlowModCommand = { Add: 0, Modify: 1, ModifyStrict: 2, Delete: 3, DeleteStrict: 4 } as const;

/** `ofp_flow_mod_flags`. */
export const OFPFF_SEND_FLOW_REM = 1 << 0;
export const OFPFF_CHECK_OVERLAP = 1 << 1;
export const OFPFF_RESET_COUNTS = 1 << 2;
export const OFPFF_NO_PKT_COUNTS = 1 << 3;
export const OFPFF_NO_BYT_COUNTS = 1 << 4;

/** Reserved port numbers (OF1.1+ 32-bit). */
export const OFPP_MAX = 0xffffff00;
export const OFPP_IN_PORT = 0xfffffff8;
export const OFPP_TABLE = 0xfffffff9;
export const OFPP_NORMAL = 0xfffffffa;
export const OFPP_FLOOD = 0xfffffffb;
export const OFPP_ALL = 0xfffffffc;
export const OFPP_CONTROLLER = 0xfffffffd;
export const OFPP_LOCAL = 0xfffffffe;
export const OFPP_ANY = 0xffffffff;

export const OFPG_MAX = 0xffffff00;
export const OFPG_ALL = 0xfffffffc;
export const OFPG_ANY = 0xffffffff;

export const OFPTT_MAX = 0xfe;
export const OFPTT_ALL = 0xff;

export const OFP_NO_BUFFER = 0xffffffff;
export const OFPCML_NO_BUFFER = 0xffff;

export const OFPM_MAX = 0xffff0000;
export const OFPM_SLOWPATH = 0xfffffffd;
export const OFPM_CONTROLLER = 0xfffffffe;
export const OFPM_ALL = 0xffffffff;

export const GroupModCommand = { Add: 0, Modify: 1, Delete: 2 } as const;
export const GroupType = { All: 0, Select: 1, Indirect: 2, FastFailover: 3 } as const;

export const MeterModCommand = { Add: 0, Modify: 1, Delete: 2 } as const;
/** `ofp_meter_flags`. */
export const OFPMF_KBPS = 1 << 0;
export const OFPMF_PKTPS = 1 << 1;
export const OFPMF_BURST = 1 << 2;
export const OFPMF_STATS = 1 << 3;
export const MeterBandType = { Drop: 1, DscpRemark: 2, Experimenter: 0xffff } as const;

export const PacketInReason = { NoMatch: 0, Action: 1, InvalidTtl: 2, ActionSet: 3, Group: 4, PacketOut: 5 } as const;
export const FlowRemovedReason = { IdleTimeout: 0, HardTimeout: 1, Delete: 2, GroupDelete: 3, MeterDelete: 4, Eviction: 5 } as const;
export const PortReason = { Add: 0, Delete: 1, Modify: 2 } as const;

/** `ofp_config_flags` (IP fragment handling). */
export const OFPC_FRAG_NORMAL = 0;
export const OFPC_FRAG_DROP = 1;
export const OFPC_FRAG_REASM = 2;
export const OFPC_FRAG_MASK = 3;

export const ControllerRole = { NoChange: 0, Equal: 1, Master: 2, Slave: 3 } as const;

export const MultipartType = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  QUEUE: 5,
  GROUP: 6,
  GROUP_DESC: 7,
  GROUP_FEATURES: 8,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  TABLE_FEATURES: 12,
  PORT_DESC: 13,
  EXPERIMENTER: 0xffff,
} as const;
export const OFPMPF_REQ_MORE = 1;
export const OFPMPF_REPLY_MORE = 1;

/** Bundles: OF1.4 `ofp_bundle_ctrl_type` and flags (same values in ONF extension 230). */
export const BundleCtrlType = {
  OpenRequest: 0,
  OpenReply: 1,
  CloseRequest: 2,
  CloseReply: 3,
  CommitRequest: 4,
  CommitReply: 5,
  DiscardRequest: 6,
  DiscardReply: 7,
} as const;
export const OFPBF_ATOMIC = 1 << 0;
export const OFPBF_ORDERED = 1 << 1;

export const NX_VENDOR_ID = 0x00002320;
export const ONF_VENDOR_ID = 0x4f4e4600;
export const ONFT_BUNDLE_CONTROL = 2300;
export const ONFT_BUNDLE_ADD_MESSAGE = 2301;

/** Nicira message subtypes (`nicira_header.subtype`). */
export const NxtSubtype = {
  ROLE_REQUEST: 10,
  ROLE_REPLY: 11,
  SET_FLOW_FORMAT: 12,
  FLOW_MOD_TABLE_ID: 15,
  SET_PACKET_IN_FORMAT: 16,
  SET_CONTROLLER_ID: 20,
  FLOW_MONITOR_CANCEL: 21,
  FLOW_MONITOR_PAUSED: 22,
  FLOW_MONITOR_RESUMED: 23,
  RESUME: 28,
  PACKET_IN2: 30,
} as const;
/** NXT_SET_PACKET_IN_FORMAT formats. */
export const NxPacketInFormat = { Standard: 0, Nxt: 1, Nxt2: 2 } as const;

/** NXT_PACKET_IN2 / NXT_RESUME property types (`enum nx_packet_in2_prop_type`). */
export const NxpintType = {
  PACKET: 0,
  FULL_LEN: 1,
  BUFFER_ID: 2,
  TABLE_ID: 3,
  COOKIE: 4,
  REASON: 5,
  METADATA: 6,
  USERDATA: 7,
  CONTINUATION: 8,
} as const;

export const OFPET_EXPERIMENTER = 0xffff;

export const VERSION_NAMES: Record<number, string> = {
  1: 'OF1.0',
  2: 'OF1.1',
  3: 'OF1.2',
  4: 'OF1.3',
  5: 'OF1.4',
  6: 'OF1.5',
};

/** `ofp_error_type` (OF1.3; 14–17 are OF1.4+). Code names: see error-names.ts. */
export const ErrorType = {
  HELLO_FAILED: 0,
  BAD_REQUEST: 1,
  BAD_ACTION: 2,
  BAD_INSTRUCTION: 3,
  BAD_MATCH: 4,
  FLOW_MOD_FAILED: 5,
  GROUP_MOD_FAILED: 6,
  PORT_MOD_FAILED: 7,
  TABLE_MOD_FAILED: 8,
  QUEUE_OP_FAILED: 9,
  SWITCH_CONFIG_FAILED: 10,
  ROLE_REQUEST_FAILED: 11,
  METER_MOD_FAILED: 12,
  TABLE_FEATURES_FAILED: 13,
  BAD_PROPERTY: 14,
  ASYNC_CONFIG_FAILED: 15,
  FLOW_MONITOR_FAILED: 16,
  BUNDLE_FAILED: 17,
  EXPERIMENTER: 0xffff,
} as const;

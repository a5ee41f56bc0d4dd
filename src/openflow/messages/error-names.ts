import { NX_VENDOR_ID, OFP13_VERSION, OFP14_VERSION, OFP15_VERSION, ONF_VENDOR_ID, OFPET_EXPERIMENTER } from './constants.js';

/**
 * Names of OpenFlow error types and codes as Open vSwitch 3.1 prints them (its `enum ofperr`
 * names, e.g. OFPBRC_BAD_STAT where the spec says BAD_MULTIPART), for OF1.2+ wire values.
 */

export const ERROR_TYPE_NAMES: Record<number, string> = {
  0: 'OFPET_HELLO_FAILED',
  1: 'OFPET_BAD_REQUEST',
  2: 'OFPET_BAD_ACTION',
  3: 'OFPET_BAD_INSTRUCTION',
  4: 'OFPET_BAD_MATCH',
  5: 'OFPET_FLOW_MOD_FAILED',
  6: 'OFPET_GROUP_MOD_FAILED',
  7: 'OFPET_PORT_MOD_FAILED',
  8: 'OFPET_TABLE_MOD_FAILED',
  9: 'OFPET_QUEUE_OP_FAILED',
  10: 'OFPET_SWITCH_CONFIG_FAILED',
  11: 'OFPET_ROLE_REQUEST_FAILED',
  12: 'OFPET_METER_MOD_FAILED',
  13: 'OFPET_TABLE_FEATURES_FAILED',
  14: 'OFPET_BAD_PROPERTY',
  15: 'OFPET_ASYNC_CONFIG_FAILED',
  16: 'OFPET_FLOW_MONITOR_FAILED',
  17: 'OFPET_BUNDLE_FAILED',
  0xffff: 'OFPET_EXPERIMENTER',
};

/** Codes 0..n-1 of one type, prefixed. */
function seq(prefix: string, names: string): string[] {
  return names.split(' ').map((n) => `${prefix}_${n}`);
}

/** OF1.2/1.3 standard codes, by type then code. */
const STANDARD: Record<number, string[]> = {
  0: seq('OFPHFC', 'INCOMPATIBLE EPERM'),
  1: seq(
    'OFPBRC',
    'BAD_VERSION BAD_TYPE BAD_STAT BAD_VENDOR BAD_SUBTYPE EPERM BAD_LEN BUFFER_EMPTY BUFFER_UNKNOWN BAD_TABLE_ID IS_SECONDARY BAD_PORT BAD_PACKET MULTIPART_BUFFER_OVERFLOW',
  ),
  2: seq(
    'OFPBAC',
    'BAD_TYPE BAD_LEN BAD_VENDOR BAD_VENDOR_TYPE BAD_OUT_PORT BAD_ARGUMENT EPERM TOO_MANY BAD_QUEUE BAD_OUT_GROUP MATCH_INCONSISTENT UNSUPPORTED_ORDER BAD_TAG BAD_SET_TYPE BAD_SET_LEN BAD_SET_ARGUMENT',
  ),
  3: seq('OFPBIC', 'UNKNOWN_INST UNSUP_INST BAD_TABLE_ID UNSUP_METADATA UNSUP_METADATA_MASK BAD_EXPERIMENTER BAD_EXP_TYPE BAD_LEN EPERM'),
  4: seq(
    'OFPBMC',
    'BAD_TYPE BAD_LEN BAD_TAG BAD_DL_ADDR_MASK BAD_NW_ADDR_MASK BAD_WILDCARDS BAD_FIELD BAD_VALUE BAD_MASK BAD_PREREQ DUP_FIELD EPERM',
  ),
  5: seq('OFPFMFC', 'UNKNOWN TABLE_FULL BAD_TABLE_ID OVERLAP EPERM BAD_TIMEOUT BAD_COMMAND BAD_FLAGS'),
  6: seq(
    'OFPGMFC',
    'GROUP_EXISTS INVALID_GROUP WEIGHT_UNSUPPORTED OUT_OF_GROUPS OUT_OF_BUCKETS CHAINING_UNSUPPORTED WATCH_UNSUPPORTED LOOP UNKNOWN_GROUP CHAINED_GROUP BAD_TYPE BAD_COMMAND BAD_BUCKET BAD_WATCH EPERM',
  ),
  7: seq('OFPPMFC', 'BAD_PORT BAD_HW_ADDR BAD_CONFIG BAD_ADVERTISE EPERM'),
  8: seq('OFPTMFC', 'BAD_TABLE BAD_CONFIG EPERM'),
  9: seq('OFPQOFC', 'BAD_PORT BAD_QUEUE EPERM'),
  10: seq('OFPSCFC', 'BAD_FLAGS BAD_LEN EPERM'),
  11: seq('OFPRRFC', 'STALE UNSUP BAD_ROLE'),
  12: seq(
    'OFPMMFC',
    'UNKNOWN METER_EXISTS INVALID_METER UNKNOWN_METER BAD_COMMAND BAD_FLAGS BAD_RATE BAD_BURST BAD_BAND BAD_BAND_VALUE OUT_OF_METERS OUT_OF_BANDS',
  ),
  // OF1.3 reuses the table-features codes 2..4 for what OF1.4 calls OFPBPC_*.
  13: ['OFPTFFC_BAD_TABLE', 'OFPTFFC_BAD_METADATA', 'OFPBPC_BAD_TYPE', 'OFPBPC_BAD_LEN', 'OFPBPC_BAD_VALUE', 'OFPTFFC_EPERM'],
};

/** OF1.4+ changes and additions. */
const OF14: Record<number, string[]> = {
  3: [...STANDARD[3], 'OFPBIC_DUP_INST'],
  13: ['OFPTFFC_BAD_TABLE', 'OFPTFFC_BAD_METADATA', '', '', '', 'OFPTFFC_EPERM'],
  14: seq('OFPBPC', 'BAD_TYPE BAD_LEN BAD_VALUE TOO_MANY DUP_TYPE BAD_EXPERIMENTER BAD_EXP_TYPE BAD_EXP_VALUE EPERM'),
  15: seq('OFPACFC', 'INVALID UNSUPPORTED EPERM'),
  16: seq('OFPMOFC', 'UNKNOWN MONITOR_EXISTS INVALID_MONITOR UNKNOWN_MONITOR BAD_COMMAND BAD_FLAGS BAD_TABLE_ID BAD_OUT'),
  17: seq(
    'OFPBFC',
    'UNKNOWN EPERM BAD_ID BUNDLE_EXIST BUNDLE_CLOSED OUT_OF_BUNDLES BAD_TYPE BAD_FLAGS MSG_BAD_LEN MSG_BAD_XID MSG_UNSUP MSG_CONFLICT MSG_TOO_MANY MSG_FAILED TIMEOUT BUNDLE_IN_PROGRESS',
  ),
};

const OF15: Record<number, string[]> = {
  2: [...STANDARD[2], 'OFPBAC_BAD_SET_MASK'],
  6: [...STANDARD[6], 'OFPGMFC_UNKNOWN_BUCKET', 'OFPGMFC_BUCKET_EXISTS'],
};

/** Nicira experimenter errors (experimenter 0x2320) in OF1.2+: exp_code → name. */
const NX_CODES: Record<number, string> = {
  2: 'NXBRC_NXM_INVALID',
  3: 'NXBRC_NXM_BAD_TYPE',
  4: 'NXBRC_MUST_BE_ZERO',
  5: 'NXBRC_BAD_REASON',
  6: 'OFPMOFC_MONITOR_EXISTS',
  7: 'OFPMOFC_BAD_FLAGS',
  8: 'OFPMOFC_UNKNOWN_MONITOR',
  9: 'NXBRC_FM_BAD_EVENT',
  10: 'NXBRC_UNENCODABLE_ERROR',
  11: 'NXBAC_MUST_BE_ZERO',
  12: 'NXFMFC_HARDWARE',
  13: 'NXFMFC_BAD_TABLE_ID',
  15: 'NXBAC_BAD_CONJUNCTION',
  16: 'NXTTMFC_BAD_COMMAND',
  17: 'NXTTMFC_BAD_OPT_LEN',
  18: 'NXTTMFC_BAD_FIELD_IDX',
  19: 'NXTTMFC_TABLE_FULL',
  20: 'NXTTMFC_ALREADY_MAPPED',
  21: 'NXTTMFC_DUP_ENTRY',
  22: 'OFPBFC_BAD_VERSION',
  23: 'NXQOFC_QUEUE_ERROR',
  34: 'NXR_NOT_SUPPORTED',
  35: 'NXR_STALE',
  36: 'NXST_NOT_CONFIGURED',
};

/** NX codes OVS only uses in some versions (the monitor ones moved to OF1.4's own type). */
const NX_VERSION_RANGE: Record<number, [number, number]> = {
  6: [3, 4],
  7: [3, 4],
  8: [3, 4],
  22: [5, 6],
  23: [5, 0xff],
};

/** ONF experimenter errors (experimenter 0x4f4e4600) OVS uses in OF1.3, notably for bundles. */
const ONF_CODES: Record<number, string> = {
  2600: 'OFPBIC_DUP_INST',
  4250: 'OFPBAC_BAD_SET_MASK',
  4443: 'OFPBPC_TOO_MANY',
  4444: 'OFPBPC_DUP_TYPE',
  4445: 'OFPBPC_BAD_EXPERIMENTER',
  4446: 'OFPBPC_BAD_EXP_TYPE',
  4447: 'OFPBPC_BAD_EXP_VALUE',
  4448: 'OFPBPC_EPERM',
};
OF14[17].forEach((name, i) => (ONF_CODES[2300 + i] = name));

/**
 * The OVS name of an error (e.g. 'OFPBRC_BAD_TYPE', 'NXBRC_NXM_INVALID', 'OFPBFC_MSG_FAILED'),
 * or undefined when the (type, code) is not one OVS knows in that version.
 */
export function errorName(version: number, errType: number, code: number, experimenter?: number): string | undefined {
  if (errType === OFPET_EXPERIMENTER) {
    if (experimenter === NX_VENDOR_ID) {
      const [lo, hi] = NX_VERSION_RANGE[code] ?? [0, 0xff];
      return version >= lo && version <= hi ? NX_CODES[code] : undefined;
    }
    if (experimenter === ONF_VENDOR_ID && version <= OFP14_VERSION) return ONF_CODES[code];
    return undefined;
  }
  const table =
    (version >= OFP15_VERSION && OF15[errType]) || (version >= OFP14_VERSION && OF14[errType]) || STANDARD[errType];
  if (version < OFP14_VERSION && errType > 13) return undefined;
  if (version < OFP13_VERSION && (errType === 12 || errType === 13 || (errType === 1 && code === 13))) return undefined;
  return table?.[code] || undefined;
}

export function errorTypeName(errType: number): string | undefined {
  return ERROR_TYPE_NAMES[errType];
}

/** The wire values of an error OVS names `name` in `version`, e.g. to build an ERROR reply in tests. */
export function errorByName(
  version: number,
  name: string,
): { errType: number; code: number; experimenter?: number } | undefined {
  for (let t = 0; t <= 17; t++) {
    for (let c = 0; c < 20; c++) if (errorName(version, t, c) === name) return { errType: t, code: c };
  }
  for (const [vendor, codes] of [
    [NX_VENDOR_ID, NX_CODES],
    [ONF_VENDOR_ID, ONF_CODES],
  ] as const) {
    for (const c of Object.keys(codes).map(Number)) {
      if (errorName(version, OFPET_EXPERIMENTER, c, vendor) === name) return { errType: OFPET_EXPERIMENTER, code: c, experimenter: vendor };
    }
  }
  return undefined;
}

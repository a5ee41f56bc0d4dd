/** Flow-mod commands in wire order: the index is OFPFC_*. */
export const FLOW_COMMANDS = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'] as const;
export type FlowCommandName = (typeof FLOW_COMMANDS)[number];

/** How ovs-ofctl names each command when it prints a flow-mod. */
export const FLOW_COMMAND_TEXT: readonly string[] = ['ADD', 'MOD', 'MOD_STRICT', 'DEL', 'DEL_STRICT'];

/** OFPFF_* flow-mod flags of OpenFlow 1.3. */
export const FlowFlag = {
  SendFlowRem: 1 << 0,
  CheckOverlap: 1 << 1,
  ResetCounts: 1 << 2,
  NoPacketCounts: 1 << 3,
  NoByteCounts: 1 << 4,
} as const;

/** Flag words in the order ovs-ofctl prints them. */
export const FLOW_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [FlowFlag.SendFlowRem, 'send_flow_rem'],
  [FlowFlag.CheckOverlap, 'check_overlap'],
  [FlowFlag.ResetCounts, 'reset_counts'],
  [FlowFlag.NoPacketCounts, 'no_packet_counts'],
  [FlowFlag.NoByteCounts, 'no_byte_counts'],
];

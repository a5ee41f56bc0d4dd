/** Actions and instructions: every OF1.3 action and instruction plus the Nicira extensions OVS sends. */
export type { Action, Instruction, CtAction, NatAction, LearnAction, LearnSpec, ControllerAction, NshTlv } from './types.js';
export { decodeActions } from './decode.js';
export { encodeActions, encodeAction } from './encode.js';
export { formatActions, formatAction } from './format.js';
export { parseActions, type ParseContext } from './parse.js';
export { decodeInstructions, encodeInstructions, formatInstructions, parseInstructions } from './instructions.js';
export { formatPort, parsePort } from './ports.js';
export { CT_COMMIT, CT_FORCE, NAT_SRC, NAT_DST } from './ct.js';
export { LEARN_SEND_FLOW_REM, LEARN_DELETE_LEARNED, LEARN_WRITE_RESULT } from './learn.js';
export * from './builders.js';

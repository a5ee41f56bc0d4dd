/** Whole-flow text: ovs-ofctl flow syntax ⇄ FlowMod, and `dump-flows` lines. */
export { parseFlow, type ParseFlowOptions } from './parse-flow.js';
export { formatFlowMod, formatFlowLine, formatDuration, type FlowLineInput } from './format-flow.js';
export { FLOW_COMMANDS, type FlowCommandName } from './flow-constants.js';

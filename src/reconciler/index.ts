/** Desired vs installed flows per bridge, reconciled with bundles. */
export { Reconciler, type ReconcileResult, type ReconcilerOptions } from './reconciler.js';
export { desiredFromFlowMod, addFlowMod, deleteFlowMod, indexDesired, type DesiredFlow, type DesiredEntry } from './desired-flow.js';
export { diffFlows, diffSize, type FlowDiff } from './diff.js';
export { FlowIdentity, flowStatsIdentities } from './flow-key.js';
export { inspectFlows, type FlowInspection } from './inspect.js';

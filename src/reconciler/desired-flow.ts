import { Reader, Writer } from '../openflow/bytes.js';
import type { Instruction } from '../openflow/actions/index.js';
import { encodeMessage, FlowModCommand, OFP13_VERSION, OFP_NO_BUFFER, OFPG_ANY, OFPP_ANY, type FlowMod } from '../openflow/messages/index.js';
import { decodeMatch, type Match } from '../openflow/oxm/index.js';
import { FLOW_MOD_LAYOUT, flowIdentity, type FlowIdentity } from './flow-key.js';

/**
 * A flow an app wants on a bridge. The cookie should come from `makeCookie` (config/pipeline.ts).
 * Build matches with MatchBuilder / parseFlow so they use OVS's own OF1.3 encoding, and treat the
 * object as immutable once handed to the reconciler (its encoding is cached per object).
 */
export interface DesiredFlow {
  tableId: number;
  priority: number;
  match: Match;
  instructions: Instruction[];
  cookie: bigint;
  idleTimeout?: number;
  hardTimeout?: number;
  /** `ofp_flow_mod_flags`, e.g. OFPFF_SEND_FLOW_REM. */
  flags?: number;
}

export interface DesiredEntry {
  id: FlowIdentity;
  flow: DesiredFlow;
}

/** The desired flow an ADD FLOW_MOD describes (e.g. one from `parseFlow` of an ovs-ofctl line). */
export function desiredFromFlowMod(fm: FlowMod): DesiredFlow {
  return {
    tableId: fm.tableId,
    priority: fm.priority,
    match: fm.match,
    instructions: fm.instructions,
    cookie: fm.cookie,
    idleTimeout: fm.idleTimeout,
    hardTimeout: fm.hardTimeout,
    flags: fm.flags,
  };
}

/** The FLOW_MOD ADD that installs (or, for an existing identity, replaces) a desired flow. */
export function addFlowMod(f: DesiredFlow, xid = 0): FlowMod {
  return {
    type: 'flow_mod',
    version: OFP13_VERSION,
    xid,
    cookie: f.cookie,
    cookieMask: 0n,
    tableId: f.tableId,
    command: FlowModCommand.Add,
    idleTimeout: f.idleTimeout ?? 0,
    hardTimeout: f.hardTimeout ?? 0,
    priority: f.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: f.flags ?? 0,
    importance: 0,
    match: f.match,
    instructions: f.instructions,
  };
}

/**
 * DELETE_STRICT of exactly one installed flow: same table, priority and match, and scoped to the
 * cookie it carries so a flow someone re-added with another cookie is left alone. Never a wildcard.
 */
export function deleteFlowMod(f: FlowIdentity, xid = 0): FlowMod {
  return {
    type: 'flow_mod',
    version: OFP13_VERSION,
    xid,
    cookie: f.cookie,
    cookieMask: 0xffff_ffff_ffff_ffffn,
    tableId: f.tableId,
    command: FlowModCommand.DeleteStrict,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: f.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: 0,
    importance: 0,
    match: decodeMatch(new Reader(f.matchBytes)),
    instructions: [],
  };
}

/**
 * Identities of flow objects already encoded. Apps that keep their unchanged DesiredFlow objects
 * across recomputations (treat them as immutable) then pay the encoding only for new ones.
 */
const encoded = new WeakMap<DesiredFlow, FlowIdentity>();

function identityOf(flow: DesiredFlow): FlowIdentity {
  let id = encoded.get(flow);
  if (!id) {
    // A small Writer per flow (pooled allocation) so each identity's byte views stay independent.
    const w = new Writer(256);
    encodeMessage(w, addFlowMod(flow));
    id = flowIdentity(w.buf, w.buf.toString('latin1', 0, w.pos), 0, w.pos, FLOW_MOD_LAYOUT);
    encoded.set(flow, id);
  }
  return id;
}

/** Indexes desired flows by identity (encoding each new one once); two flows with one identity is a bug upstream. */
export function indexDesired(flows: readonly DesiredFlow[]): Map<string, DesiredEntry> {
  const idx = new Map<string, DesiredEntry>();
  for (const flow of flows) {
    const id = identityOf(flow);
    if (idx.has(id.key)) {
      throw new RangeError(`two desired flows share table=${flow.tableId} priority=${flow.priority} and the same match`);
    }
    idx.set(id.key, { id, flow });
  }
  return idx;
}

import { Reader, Writer } from '../openflow/bytes.js';
import type { Instruction } from '../openflow/actions/index.js';
import { encodeMessage, FlowModCommand, OFP13_VERSION, OFP_NO_BUFFER, OFPG_ANY, OFPP_ANY, OfpType, type FlowMod } from '../openflow/messages/index.js';
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
  /** The encoded FLOW_MOD ADD of `flow` (OF1.3, xid 0), made once for its identity and bundled as is. */
  bytes: Uint8Array;
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
 * The encoded DELETE_STRICT of `deleteFlowMod(f)`, built from the identity's match bytes (no
 * decoding): what the reconciler bundles to remove an installed flow.
 */
export function deleteFlowModBytes(f: FlowIdentity): Uint8Array {
  const len = FLOW_MOD_FIXED_LEN + f.matchBytes.length;
  const b = Buffer.alloc(len);
  b[0] = OFP13_VERSION;
  b[1] = OfpType.FLOW_MOD;
  b.writeUInt16BE(len, 2);
  b.writeUInt32BE(f.cookieHi, 8);
  b.writeUInt32BE(f.cookieLo, 12);
  b.writeUInt32BE(0xffffffff, 16); // cookie_mask: all ones
  b.writeUInt32BE(0xffffffff, 20);
  b[24] = f.tableId;
  b[25] = FlowModCommand.DeleteStrict;
  b.writeUInt16BE(f.priority, 30);
  b.writeUInt32BE(OFP_NO_BUFFER, 32);
  b.writeUInt32BE(OFPP_ANY, 36);
  b.writeUInt32BE(OFPG_ANY, 40);
  b.set(f.matchBytes, FLOW_MOD_FIXED_LEN);
  return b;
}

/** ofp_header + the flow_mod fields before its match. */
const FLOW_MOD_FIXED_LEN = 48;

/**
 * Entries of flow objects already encoded. Apps that keep their unchanged DesiredFlow objects
 * across recomputations (treat them as immutable) then pay the encoding only for new ones.
 */
const encoded = new WeakMap<DesiredFlow, DesiredEntry>();

/**
 * Flows are encoded back to back into shared slabs (each flow's bytes and identity are views into
 * one): far fewer allocations than a buffer per flow. A slab is small so that flows still alive
 * keep little memory of dead ones alive with them (as Node's own 8 KiB Buffer pool does).
 */
const SLAB_BYTES = 64 * 1024;
const SLAB_MIN_FREE = 4096;
let slab = new Writer(SLAB_BYTES);

/** The FLOW_MOD ADD entryOf encodes, filled in per flow (encodeMessage only reads it): no object per flow. */
const scratch = addFlowMod({ tableId: 0, priority: 0, match: [], instructions: [], cookie: 0n });

function scratchAdd(f: DesiredFlow): FlowMod {
  scratch.cookie = f.cookie;
  scratch.tableId = f.tableId;
  scratch.idleTimeout = f.idleTimeout ?? 0;
  scratch.hardTimeout = f.hardTimeout ?? 0;
  scratch.priority = f.priority;
  scratch.flags = f.flags ?? 0;
  scratch.match = f.match;
  scratch.instructions = f.instructions;
  return scratch;
}

function entryOf(flow: DesiredFlow): DesiredEntry {
  let e = encoded.get(flow);
  if (!e) {
    if (slab.buf.length - slab.pos < SLAB_MIN_FREE) slab = new Writer(SLAB_BYTES);
    const start = slab.pos;
    try {
      // A flow bigger than the room left grows the slab (a copy); views of earlier flows stay valid.
      encodeMessage(slab, scratchAdd(flow));
    } catch (err) {
      slab.pos = start;
      throw err;
    }
    const bytes = slab.buf.subarray(start, slab.pos);
    e = { id: flowIdentity(bytes, bytes.toString('latin1'), 0, bytes.length, FLOW_MOD_LAYOUT), flow, bytes };
    encoded.set(flow, e);
  }
  return e;
}

/** Indexes desired flows by identity (encoding each new one once); two flows with one identity is a bug upstream. */
export function indexDesired(flows: readonly DesiredFlow[]): Map<string, DesiredEntry> {
  const idx = new Map<string, DesiredEntry>();
  for (const flow of flows) addToIndex(idx, flow);
  return idx;
}

/** Encodes (once) and indexes one flow; throws if the index already holds its identity. */
export function addToIndex(idx: Map<string, DesiredEntry>, flow: DesiredFlow): DesiredEntry {
  const e = entryOf(flow);
  const before = idx.size;
  idx.set(e.id.key, e); // one hash lookup: a key already there leaves the size unchanged
  if (idx.size === before) {
    throw new RangeError(`two desired flows share table=${flow.tableId} priority=${flow.priority} and the same match`);
  }
  return e;
}

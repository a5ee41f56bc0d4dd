import { EncodeError, ParseError } from '../errors.js';
import { fieldByName, MatchBuilder, type Match } from '../oxm/index.js';
import { parseInstructions, type Instruction, type ParseContext } from '../actions/index.js';
import type { FlowMod } from '../messages/index.js';
import { splitFlowKeyValues } from './key-values.js';
import { SubfieldMatches } from './subfield-match.js';
import { OFPG_ANY, parseCookie, parseFlowU16, parseOutGroup, parseOutPort, parseTableId } from './flow-numbers.js';
import { FLOW_COMMANDS, FLOW_FLAG_WORDS, type FlowCommandName } from './flow-constants.js';

export interface ParseFlowOptions {
  /** Flow-mod command; when absent a leading command word (`delete ip,...`) is honoured, else `add`. */
  command?: FlowCommandName;
  /** OpenFlow version of the FlowMod (default 4, OpenFlow 1.3). */
  version?: number;
}

/** Which keywords each command accepts, as in ovs-ofctl: delete takes no actions, add alone takes importance. */
interface Accepts {
  actions: boolean;
  outPort: boolean;
  priority: boolean;
  timeouts: boolean;
  flags: boolean;
  importance: boolean;
}
const ACCEPTS: Record<FlowCommandName, Accepts> = {
  add: { actions: true, outPort: false, priority: true, timeouts: true, flags: true, importance: true },
  modify: { actions: true, outPort: false, priority: true, timeouts: true, flags: true, importance: false },
  modify_strict: { actions: true, outPort: false, priority: true, timeouts: true, flags: true, importance: false },
  delete: { actions: false, outPort: true, priority: false, timeouts: false, flags: false, importance: false },
  delete_strict: { actions: false, outPort: true, priority: true, timeouts: false, flags: false, importance: false },
};

const FLAG_WORDS: ReadonlyMap<string, number> = new Map(FLOW_FLAG_WORDS.map(([bit, word]) => [word, bit]));

/** Keywords of `ovs-ofctl dump-flows` output, ignored so that a dumped flow can be fed back. */
const DUMP_ONLY = new Set(['duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age']);

const OFP_DEFAULT_PRIORITY = 0x8000;
const OFP_NO_BUFFER = 0xffffffff;
const OFPP_ANY = 0xffffffff;
const OFPTT_ALL = 0xff;
const OFP14_VERSION = 5;

/**
 * Parses an ovs-ofctl flow (`add-flow`, `mod-flows`, `del-flows` syntax) into the FlowMod that
 * `ovs-ofctl -O OpenFlow13` would send, defaults included. Throws ParseError on bad text.
 */
export function parseFlow(flowText: string, opts: ParseFlowOptions = {}): FlowMod {
  const { command, text } = opts.command ? { command: opts.command, text: flowText } : splitCommandWord(flowText);
  const accepts = ACCEPTS[command];
  const version = opts.version ?? 4;

  const split = accepts.actions ? extractActions(text) : { flow: text, actions: undefined };

  const builder = new MatchBuilder();
  const subfields = new SubfieldMatches();
  const wholeFields = new Set<string>();
  const draft = newDraft();
  for (const { key, value } of splitFlowKeyValues(split.flow)) {
    const flag = FLAG_WORDS.get(key);
    if (flag !== undefined && accepts.flags) draft.flags |= flag;
    else if (key === 'no_readonly_table' || key === 'allow_hidden_fields') continue;
    else if (builder.add(key, value)) wholeFields.add(fieldByName(key)?.name ?? key);
    else if (!subfields.add(key, value)) applyKeyword(draft, key, value, command);
  }
  subfields.applyTo(builder, wholeFields);

  const match = buildMatch(builder);
  const instructions = split.actions === undefined ? [] : parseActionsText(split.actions, match);
  const isDelete = command === 'delete' || command === 'delete_strict';
  return {
    type: 'flow_mod',
    version,
    xid: 0,
    // OF1.1+ has one cookie field: an add sets it, the other commands match it under the mask
    // (so a modify's new cookie without a mask is not sent at all, as with ovs-ofctl).
    cookie: command === 'add' ? draft.newCookie : draft.cookie & draft.cookieMask,
    cookieMask: command === 'add' ? 0n : draft.cookieMask,
    // "all tables" is only meaningful to a delete; anything else goes to table 0.
    tableId: draft.tableId === OFPTT_ALL && !isDelete ? 0 : draft.tableId,
    command: FLOW_COMMANDS.indexOf(command),
    idleTimeout: draft.idleTimeout,
    hardTimeout: draft.hardTimeout,
    priority: draft.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: draft.outPort,
    outGroup: isDelete ? draft.outGroup : OFPG_ANY,
    flags: draft.flags,
    importance: version >= OFP14_VERSION && command === 'add' ? draft.importance : 0,
    match,
    instructions,
  };
}

/** `delete_strict priority=5,ip` → the command and the rest; no command word means add. */
function splitCommandWord(text: string): { command: FlowCommandName; text: string } {
  const word = /^\s*([a-z_]+)(?=[\s,]|$)/.exec(text);
  const command = FLOW_COMMANDS.find((c) => c === word?.[1]);
  return command && word ? { command, text: text.slice(word[0].length) } : { command: 'add', text };
}

/** The flow-mod keywords read so far, at ovs-ofctl's defaults. */
interface Draft {
  tableId: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  importance: number;
  flags: number;
  outPort: number;
  outGroup: number;
  newCookie: bigint;
  cookie: bigint;
  cookieMask: bigint;
}

function newDraft(): Draft {
  return {
    tableId: OFPTT_ALL,
    priority: OFP_DEFAULT_PRIORITY,
    idleTimeout: 0,
    hardTimeout: 0,
    importance: 0,
    flags: 0,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    newCookie: 0n,
    cookie: 0n,
    cookieMask: 0n,
  };
}

/** A key that is neither a flag nor a match field: one of the flow-mod keywords the command accepts. */
function applyKeyword(d: Draft, key: string, value: string | undefined, command: FlowCommandName): void {
  const accepts = ACCEPTS[command];
  // Like ovs-ofctl, any other key needs a value, even one it does not know.
  if (!value) throw new ParseError(`field ${key} missing value`);
  if (key === 'table') d.tableId = parseTableId(value);
  else if (key === 'out_port' && accepts.outPort) d.outPort = parseOutPort(value);
  else if (key === 'out_group' && accepts.outPort) d.outGroup = parseOutGroup(value);
  else if (key === 'priority' && accepts.priority) d.priority = parseFlowU16(value, key);
  else if (key === 'idle_timeout' && accepts.timeouts) d.idleTimeout = parseFlowU16(value, key);
  else if (key === 'hard_timeout' && accepts.timeouts) d.hardTimeout = parseFlowU16(value, key);
  else if (key === 'importance' && accepts.importance) d.importance = parseFlowU16(value, key);
  else if (key === 'cookie') applyCookie(d, value, command);
  else if (!DUMP_ONLY.has(key)) throw new ParseError(`unknown keyword ${key}`);
}

/** `cookie=V/M` matches cookies (not on add); `cookie=V` sets the new flow's cookie (not on delete). */
function applyCookie(d: Draft, value: string, command: FlowCommandName): void {
  const slash = value.indexOf('/');
  if (slash >= 0) {
    if (command === 'add') throw new ParseError('flow additions cannot use a cookie mask');
    d.cookie = parseCookie(value.slice(0, slash));
    d.cookieMask = parseCookie(value.slice(slash + 1));
  } else {
    if (command === 'delete' || command === 'delete_strict') {
      throw new ParseError('cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=1/-1)');
    }
    d.newCookie = parseCookie(value);
  }
}

/** A match the codec cannot send (a field without its prerequisite) is a mistake in the text. */
function buildMatch(builder: MatchBuilder): Match {
  try {
    return builder.build();
  } catch (e) {
    if (e instanceof EncodeError) throw new ParseError(e.message);
    throw e;
  }
}

/** ovs-ofctl cuts the text at the first "action": everything after its `=` is the action list. */
function extractActions(text: string): { flow: string; actions: string } {
  const at = text.indexOf('action');
  const eq = at < 0 ? -1 : text.indexOf('=', at);
  if (eq < 0) throw new ParseError('must specify an action');
  return { flow: text.slice(0, at), actions: text.slice(eq + 1) };
}

/** Actions are read after the match: mod_tp_src and mod_vlan_vid depend on what the flow matches. */
function parseActionsText(text: string, match: Match): Instruction[] {
  const trimmed = text.trim();
  // An empty action list, like `drop`, is a flow without instructions.
  return trimmed === '' ? [] : parseInstructions(trimmed, actionContext(match));
}

const OFPVID_PRESENT = 0x1000;

/** The IP protocol the flow matches, and whether it only matches packets that carry a VLAN header. */
function actionContext(match: Match): ParseContext {
  const ctx: ParseContext = {};
  for (const e of match) {
    if (e.field?.name === 'nw_proto' && 'value' in e) ctx.ipProto = Number(e.value);
    if (e.field?.name === 'vlan_vid' && 'value' in e) {
      ctx.vlan = (Number(e.value) & OFPVID_PRESENT) !== 0 && (e.mask === undefined || (Number(e.mask) & OFPVID_PRESENT) !== 0);
    }
  }
  return ctx;
}

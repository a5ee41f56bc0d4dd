import type { Reader, Writer } from '../bytes.js';
import { DecodeError, EncodeError, ParseError } from '../errors.js';
import { OFPIT } from './codes.js';
import { decodeActions } from './decode.js';
import { encodeActions, pad } from './encode.js';
import { formatActions } from './format.js';
import { checkDropAlone, parseAction, parseActions, parseState, type ParseContext } from './parse.js';
import { parseBigUint, parseUint } from './ports.js';
import { splitKeyValues } from './text.js';
import type { Action, Instruction } from './types.js';

const ALL_ONES_64 = 0xffffffffffffffffn;

/** Decodes an instruction list; `r` must be confined to it. Unknown instruction types are kept raw. */
export function decodeInstructions(r: Reader): Instruction[] {
  const out: Instruction[] = [];
  while (r.pos < r.end) {
    const start = r.pos;
    if (r.end - start < 4) throw new DecodeError(`truncated instruction header: ${r.end - start} bytes left`, start);
    const type = r.u16();
    const len = r.u16();
    if (len < 8 || len % 8 !== 0) throw new DecodeError(`instruction length ${len} is not a positive multiple of 8`, start);
    if (len > r.end - start) throw new DecodeError(`instruction length ${len} overruns its list (${r.end - start} left)`, start);
    // Confine the body to the declared length without a closure per instruction (hot path).
    const savedEnd = r.end;
    r.end = start + len;
    try {
      out.push(decodeInstruction(r, type, len, start));
    } finally {
      r.end = savedEnd;
      r.pos = start + len;
    }
  }
  return out;
}

function want(len: number, n: number, what: string, at: number): void {
  if (len !== n) throw new DecodeError(`${what} instruction has length ${len}, expected ${n}`, at);
}

/** Padding is skipped unchecked, as OVS does. */
function skipPad(r: Reader, n: number): void {
  r.skip(n);
}

function decodeInstruction(r: Reader, type: number, len: number, at: number): Instruction {
  switch (type) {
    case OFPIT.GOTO_TABLE: {
      want(len, 8, 'goto_table', at);
      const tableId = r.u8();
      skipPad(r, 3);
      return { type: 'goto_table', tableId };
    }
    case OFPIT.WRITE_METADATA: {
      want(len, 24, 'write_metadata', at);
      skipPad(r, 4);
      const metadata = r.u64();
      return { type: 'write_metadata', metadata, mask: r.u64() };
    }
    case OFPIT.APPLY_ACTIONS:
    case OFPIT.WRITE_ACTIONS: {
      skipPad(r, 4);
      const actions = decodeActions(r);
      return type === OFPIT.APPLY_ACTIONS ? { type: 'apply_actions', actions } : { type: 'write_actions', actions };
    }
    case OFPIT.CLEAR_ACTIONS:
      want(len, 8, 'clear_actions', at);
      skipPad(r, 4);
      return { type: 'clear_actions' };
    case OFPIT.METER:
      want(len, 8, 'meter', at);
      return { type: 'meter', meterId: r.u32() };
    default:
      return { type: 'raw', bytes: r.buf.slice(at, at + len) };
  }
}

export function encodeInstructions(w: Writer, insts: readonly Instruction[]): void {
  for (const inst of insts) encodeInstruction(w, inst);
}

function encodeInstruction(w: Writer, inst: Instruction): void {
  switch (inst.type) {
    case 'goto_table':
      w.u16(OFPIT.GOTO_TABLE);
      w.u16(8);
      w.u8(inst.tableId);
      pad(w, 3);
      return;
    case 'write_metadata':
      w.u16(OFPIT.WRITE_METADATA);
      w.u16(24);
      pad(w, 4);
      w.u64(inst.metadata);
      w.u64(inst.mask);
      return;
    case 'apply_actions':
    case 'write_actions': {
      const start = w.pos;
      w.u16(inst.type === 'apply_actions' ? OFPIT.APPLY_ACTIONS : OFPIT.WRITE_ACTIONS);
      w.u16(0);
      pad(w, 4);
      encodeActions(w, inst.actions);
      const len = w.pos - start;
      if (len > 0xffff) throw new EncodeError(`instruction of ${len} bytes is too long`);
      w.patchU16(start + 2, len);
      return;
    }
    case 'clear_actions':
      w.u16(OFPIT.CLEAR_ACTIONS);
      w.u16(8);
      pad(w, 4);
      return;
    case 'meter':
      w.u16(OFPIT.METER);
      w.u16(8);
      w.u32(inst.meterId);
      return;
    case 'raw':
      if (inst.bytes.length < 8 || inst.bytes.length % 8) throw new EncodeError(`raw instruction of ${inst.bytes.length} bytes is not 8-aligned`);
      w.bytes(inst.bytes);
      return;
  }
}

/** The order OVS prints (and sends) instructions in, whatever order they came in. */
const PRINT_ORDER: Record<Instruction['type'], number> = {
  meter: 0,
  apply_actions: 1,
  clear_actions: 2,
  write_actions: 3,
  write_metadata: 4,
  goto_table: 5,
  raw: 6,
};

function formatInstruction(inst: Instruction): string {
  switch (inst.type) {
    case 'apply_actions':
      return inst.actions.length ? formatActions(inst.actions) : '';
    case 'write_actions':
      return `write_actions(${formatActions(inst.actions)})`;
    case 'clear_actions':
      return 'clear_actions';
    case 'goto_table':
      return `goto_table:${inst.tableId}`;
    case 'meter':
      return `meter:${inst.meterId}`;
    case 'write_metadata': {
      const v = inst.metadata ? '0x' + inst.metadata.toString(16) : '0';
      return inst.mask === ALL_ONES_64 ? `write_metadata:${v}` : `write_metadata:${v}/0x${inst.mask.toString(16)}`;
    }
    case 'raw':
      return `raw_instruction(${Buffer.from(inst.bytes).toString('hex')})`;
  }
}

/** What ovs-ofctl -O OpenFlow13 prints after "actions=": "drop" when nothing is done. */
export function formatInstructions(insts: readonly Instruction[]): string {
  const sorted = insts.length > 1 ? [...insts].sort((a, b) => PRINT_ORDER[a.type] - PRINT_ORDER[b.type]) : insts;
  const parts: string[] = [];
  for (const inst of sorted) {
    const s = formatInstruction(inst);
    if (s) parts.push(s);
  }
  return parts.length ? parts.join(',') : 'drop';
}

/**
 * ovs-ofctl `actions=` text -> the OF1.3 instructions ovs-ofctl sends: meter, one apply_actions holding every
 * plain action, clear_actions, write_actions, write_metadata, goto_table (in that order).
 */
export function parseInstructions(text: string, ctx: ParseContext = {}): Instruction[] {
  const apply: Action[] = [];
  const state = parseState(ctx);
  const byType = new Map<Instruction['type'], Instruction>();
  const once = (inst: Instruction): void => {
    if (byType.has(inst.type)) throw new ParseError(`${inst.type} may appear only once`);
    byType.set(inst.type, inst);
  };
  const items = splitKeyValues(text, { arrowTails: true });
  checkDropAlone(items);
  for (const kv of items) {
    // Only check_pkt_larger(...) takes a `->dst` tail.
    if (kv.rest !== undefined && kv.key.toLowerCase() !== 'check_pkt_larger') {
      throw new ParseError(`unexpected "${kv.rest}" after ${kv.key}(${kv.value})`);
    }
    switch (kv.key.toLowerCase()) {
      case 'goto_table':
        once({ type: 'goto_table', tableId: parseUint(kv.value, 254, 'goto_table') });
        break;
      case 'meter':
        once({ type: 'meter', meterId: parseUint(kv.value, 0xffffffff, 'meter') });
        break;
      case 'clear_actions':
        once({ type: 'clear_actions' });
        break;
      case 'write_actions':
        once({ type: 'write_actions', actions: parseActions(kv.value, ctx) });
        break;
      case 'write_metadata': {
        const [v, m] = kv.value.split('/');
        once({ type: 'write_metadata', metadata: parseBigUint(v, 64, 'write_metadata'), mask: m === undefined ? ALL_ONES_64 : parseBigUint(m, 64, 'write_metadata mask') });
        break;
      }
      default:
        parseAction(kv, apply, state);
    }
  }
  if (apply.length) byType.set('apply_actions', { type: 'apply_actions', actions: apply });
  return [...byType.values()].sort((a, b) => PRINT_ORDER[a.type] - PRINT_ORDER[b.type]);
}

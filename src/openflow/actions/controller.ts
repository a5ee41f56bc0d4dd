import type { Reader, Writer } from '../bytes.js';
import { DecodeError, ParseError } from '../errors.js';
import { NXAST, OFPP } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { parseUint } from './ports.js';
import { formatHexBytes, parseHexBytes, splitKeyValues } from './text.js';
import type { Action, ControllerAction } from './types.js';

/** OFPR_* packet-in reasons by their ovs-ofctl names. */
const REASONS = ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out'];
const REASON_ACTION = 1;

/** NXAC2PT_* property types of NXAST_CONTROLLER2. */
const PROP = { MAX_LEN: 0, CONTROLLER_ID: 1, REASON: 2, USERDATA: 3, PAUSE: 4, METER_ID: 5 } as const;

export function decodeController(r: Reader): ControllerAction {
  const maxLen = r.u16();
  const controllerId = r.u16();
  const reason = r.u8();
  r.skip(1);
  return { type: 'controller', maxLen, controllerId, reason, pause: false, wire: 'nx' };
}

export function decodeController2(r: Reader): ControllerAction | null {
  r.skip(6);
  const a: ControllerAction = { type: 'controller', maxLen: 0xffff, controllerId: 0, reason: REASON_ACTION, pause: false, wire: 'nx2' };
  while (r.pos < r.end) {
    const at = r.pos;
    const type = r.u16();
    const len = r.u16();
    const padded = Math.ceil(len / 8) * 8;
    if (len < 4 || padded > r.end - at) throw new DecodeError(`controller property length ${len} is invalid`, at);
    const body = len - 4;
    const want = (n: number): void => {
      if (body !== n) throw new DecodeError(`controller property ${type} has length ${len}`, at);
    };
    switch (type) {
      case PROP.MAX_LEN:
        want(4);
        a.maxLen = r.u16();
        break;
      case PROP.CONTROLLER_ID:
        want(4);
        a.controllerId = r.u16();
        break;
      case PROP.REASON:
        want(1);
        a.reason = r.u8();
        break;
      case PROP.USERDATA:
        a.userdata = r.copy(body, 'userdata');
        break;
      case PROP.PAUSE:
        want(0);
        a.pause = true;
        break;
      case PROP.METER_ID:
        want(4);
        a.meterId = r.u32();
        break;
      default:
        return null;
    }
    r.pos = at + padded;
  }
  return a;
}

function needsController2(a: ControllerAction): boolean {
  return (a.userdata !== undefined && a.userdata.length > 0) || a.pause || a.meterId !== undefined;
}

/** True when OVS would send (and print) it as a plain `output:CONTROLLER` action. */
function isPlainController(a: ControllerAction): boolean {
  return a.reason === REASON_ACTION && a.controllerId === 0 && !needsController2(a);
}

export function encodeController(w: Writer, a: ControllerAction): void {
  const wire = a.wire ?? (needsController2(a) ? 'nx2' : 'nx');
  if (wire === 'nx') {
    const s = nxHeader(w, NXAST.CONTROLLER);
    w.u16(a.maxLen);
    w.u16(a.controllerId);
    w.u8(a.reason);
    endAction(w, s);
    return;
  }
  const s = nxHeader(w, NXAST.CONTROLLER2);
  w.zeros(6);
  const prop = (type: number, len: number): void => {
    w.u16(type);
    w.u16(len);
  };
  if (a.maxLen !== 0xffff) {
    prop(PROP.MAX_LEN, 8);
    w.u16(a.maxLen);
    w.zeros(2);
  }
  if (a.controllerId !== 0) {
    prop(PROP.CONTROLLER_ID, 8);
    w.u16(a.controllerId);
    w.zeros(2);
  }
  if (a.reason !== REASON_ACTION) {
    prop(PROP.REASON, 5);
    w.u8(a.reason);
    w.zeros(3);
  }
  if (a.userdata && a.userdata.length) {
    const p = w.pos;
    prop(PROP.USERDATA, 4 + a.userdata.length);
    w.bytes(a.userdata);
    w.padTo(p, 8);
  }
  if (a.pause) {
    prop(PROP.PAUSE, 4);
    w.zeros(4);
  }
  if (a.meterId !== undefined) {
    prop(PROP.METER_ID, 8);
    w.u32(a.meterId);
  }
  endAction(w, s);
}

export function formatController(a: ControllerAction): string {
  if (isPlainController(a)) return `CONTROLLER:${a.maxLen}`;
  const parts: string[] = [];
  if (a.reason !== REASON_ACTION) parts.push(`reason=${REASONS[a.reason] ?? a.reason}`);
  if (a.maxLen !== 0xffff) parts.push(`max_len=${a.maxLen}`);
  if (a.controllerId !== 0) parts.push(`id=${a.controllerId}`);
  if (a.userdata && a.userdata.length) parts.push(`userdata=${formatHexBytes(a.userdata)}`);
  if (a.pause) parts.push('pause');
  if (a.meterId !== undefined) parts.push(`meter_id=${a.meterId}`);
  return `controller(${parts.join(',')})`;
}

/** `controller`, `controller:100`, `controller(reason=...,max_len=...,id=...,userdata=...,pause,meter_id=...)`. */
export function parseController(value: string, delim: string): Action {
  if (delim !== '(') {
    const maxLen = value ? parseUint(value, 0xffff, 'controller max_len') : 0xffff;
    return { type: 'output', port: OFPP.CONTROLLER, maxLen };
  }
  const a: ControllerAction = { type: 'controller', maxLen: 0xffff, controllerId: 0, reason: REASON_ACTION, pause: false };
  for (const kv of splitKeyValues(value)) {
    switch (kv.key) {
      case 'reason': {
        const i = REASONS.indexOf(kv.value);
        if (i < 0) throw new ParseError(`unknown controller reason "${kv.value}"`);
        a.reason = i;
        break;
      }
      case 'max_len':
        a.maxLen = parseUint(kv.value, 0xffff, 'controller max_len');
        break;
      case 'id':
        a.controllerId = parseUint(kv.value, 0xffff, 'controller id');
        break;
      case 'userdata':
        a.userdata = parseHexBytes(kv.value, 'controller userdata');
        break;
      case 'pause':
        a.pause = true;
        break;
      case 'meter_id':
        a.meterId = parseUint(kv.value, 0xffffffff, 'controller meter_id');
        break;
      default:
        throw new ParseError(`unknown controller option "${kv.key}"`);
    }
  }
  // Like ovs-ofctl: the simple form goes out as output:CONTROLLER, unless userdata was given (even empty).
  return isPlainController(a) && a.userdata === undefined ? { type: 'output', port: OFPP.CONTROLLER, maxLen: a.maxLen } : a;
}

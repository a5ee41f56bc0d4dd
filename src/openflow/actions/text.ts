import { ParseError } from '../errors.js';

/** One `key`, `key:value`, `key=value` or `key(value)` item of an ovs-ofctl list (ofputil_parse_key_value). */
export interface KeyValue {
  key: string;
  value: string;
  /** Which delimiter followed the key: '' for a bare key. */
  delim: '' | ':' | '=' | '(';
  /** `->...` right after a `key(value)` close paren, up to the next comma: the `->dst` of check_pkt_larger. */
  rest?: string;
}

/**
 * Splits an ovs-ofctl list (`a,b:c,d(e,f)`) into key/value items. Commas inside parentheses
 * belong to the value; a `key:value` value runs to the next top-level comma.
 */
export function splitKeyValues(text: string, opts: { arrowTails?: boolean } = {}): KeyValue[] {
  const out: KeyValue[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ',' || text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !':=(, \t)'.includes(text[i])) i++;
    const key = text.slice(keyStart, i);
    const d = text[i];
    if (d === '(') {
      const close = matchingParen(text, i);
      const kv: KeyValue = { key, value: text.slice(i + 1, close), delim: '(' };
      i = close + 1;
      // Like ofputil_parse_key_value, anything else after ")" starts the next item (`ct(nat)x` is `ct(nat)`, `x`).
      if (text.startsWith('->', i)) {
        const restStart = i;
        while (i < n && text[i] !== ',') i++;
        kv.rest = text.slice(restStart, i);
        if (!opts.arrowTails) throw new ParseError(`unexpected "${kv.rest}" after ${key}(${kv.value})`);
      }
      out.push(kv);
    } else if (d === ':' || d === '=') {
      const start = ++i;
      let depth = 0;
      while (i < n) {
        const c = text[i];
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) throw new ParseError(`unbalanced ")" in "${text}"`);
          depth--;
        } else if (c === ',' && depth === 0) break;
        i++;
      }
      if (depth) throw new ParseError(`unbalanced "(" in "${text}"`);
      out.push({ key, value: text.slice(start, i), delim: d });
    } else if (d === ')') {
      throw new ParseError(`unbalanced ")" in "${text}"`);
    } else {
      out.push({ key, value: '', delim: '' });
    }
  }
  return out;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  throw new ParseError(`unbalanced "(" in "${text}"`);
}

/** `01.02.0a` (note, userdata) -> bytes; dots between bytes are optional, as in ovs-ofctl. */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const hex = text.replace(/\./g, '');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new ParseError(`${what}: "${text}" is not dotted hex bytes`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function formatHexBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? '.' : '') + (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

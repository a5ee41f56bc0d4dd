/**
 * Splits ovs-ofctl flow text into key/value pairs the way OVS does (`ofputil_parse_key_value`):
 * pairs are separated by commas or white space; a key ends at `=`, `:` or `(`; a value after `=`/`:`
 * runs to the next separator outside parentheses, a value after `(` runs to the matching `)`.
 * A bare key (`ip`, `send_flow_rem`) has an undefined value.
 */
export interface FlowKeyValue {
  readonly key: string;
  readonly value: string | undefined;
}

const SEPARATORS = ', \t\r\n';
const KEY_END = ':=(' + SEPARATORS;

export function splitFlowKeyValues(text: string): FlowKeyValue[] {
  const out: FlowKeyValue[] = [];
  let i = 0;
  const n = text.length;
  while (true) {
    while (i < n && SEPARATORS.includes(text[i])) i++;
    if (i >= n) return out;
    const keyStart = i;
    while (i < n && !KEY_END.includes(text[i])) i++;
    const key = text.slice(keyStart, i);
    const delim = i < n ? text[i] : '';
    if (delim === '=' || delim === ':' || delim === '(') {
      i++;
      const valueStart = i;
      i = valueEnd(text, i, delim === '(' ? ')' : SEPARATORS);
      out.push({ key, value: text.slice(valueStart, i) });
      if (i < n) i++; // the delimiter that ended the value
    } else {
      out.push({ key, value: undefined });
    }
  }
}

/** Index of the first delimiter at or after `i` that is not inside parentheses. */
function valueEnd(text: string, i: number, delimiters: string): number {
  const n = text.length;
  while (i < n && !delimiters.includes(text[i])) {
    if (text[i] === '(') {
      let level = 0;
      do {
        if (text[i] === '(') level++;
        else if (text[i] === ')') level--;
        i++;
      } while (level > 0 && i < n);
    } else {
      i++;
    }
  }
  return i;
}

import { DecodeError } from '../errors.js';
import { OFP_HEADER_LEN } from './constants.js';
import { decodeMessage } from './decode.js';
import type { ErrorMsg, OfMessage } from './types.js';

/**
 * The request an ERROR refers to, decoded from its data when the switch echoed it whole
 * (OVS echoes the full request). Returns the header fields alone when it was truncated,
 * and undefined when the data is not a message (e.g. HELLO_FAILED text).
 */
export function failedRequest(err: ErrorMsg): OfMessage | { type: 'truncated'; version: number; rawType: number; xid: number; length: number } | undefined {
  const d = err.data;
  if (d.length < OFP_HEADER_LEN || err.errType === 0) return undefined;
  const length = (d[2] << 8) | d[3];
  const version = d[0];
  const rawType = d[1];
  const xid = ((d[4] << 24) >>> 0) + ((d[5] << 16) | (d[6] << 8) | d[7]);
  if (length === d.length) {
    try {
      return decodeMessage(d);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  }
  return { type: 'truncated', version, rawType, xid, length };
}

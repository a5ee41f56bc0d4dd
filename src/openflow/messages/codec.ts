/** The wire codec in one import: encode and decode of whole messages. */
export { encodeMessage, encodeMessageToBuffer } from './encode.js';
export { decodeMessage } from './decode.js';

/** OpenFlow messages: types, wire codec, framing, negotiation and ovs-ofctl style text. */
export * from './constants.js';
export type * from './types.js';
export { encodeMessage, encodeMessageToBuffer, decodeMessage } from './codec.js';
export { FrameDecoder } from './frame-decoder.js';
export { formatMessage, messageName } from './format.js';
export { helloVersions, negotiateVersion, makeHello, versionBitmapElement } from './negotiate.js';
export { errorName, errorByName, errorTypeName, ERROR_TYPE_NAMES } from './error-names.js';
export { failedRequest } from './error-request.js';
export { mergeMultipartReplies, hasMore } from './multipart-merge.js';
export { multipartRequestType } from './multipart-request.js';
export { multipartReplyType } from './multipart-reply.js';

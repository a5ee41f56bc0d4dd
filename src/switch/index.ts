/** OpenFlow server and switch sessions: see README.md in this folder. */
export { OpenFlowServer, DEFAULT_OPENFLOW_PORT, type ServerOptions, type SwitchDown, type TlsFiles } from './server.js';
export { SwitchSession, type OutgoingMessage, type BundleItem, type OpenBundle } from './session.js';
export { DEFAULT_SESSION_OPTIONS, type SessionOptions, type RoleName } from './session-options.js';
export type { PortEvent, PortChange, AsyncMessageEvent, UnsolicitedErrorEvent } from './events.js';
export { OfpErrorReply, BundleMessageError, RequestTimeoutError, SessionClosedError, describeOfpError } from './errors.js';
export { parseDpDesc, bridgeIdentity, formatDpid, type SwitchIdentity } from './identity.js';
export { DEFAULT_OUTPUT_OPTIONS, type OutputQueueOptions } from './output-queue.js';

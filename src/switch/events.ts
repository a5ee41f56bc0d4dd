import type { ErrorMsg, OfMessage, OfPort } from '../openflow/messages/index.js';
import type { SwitchSession } from './session.js';

/** What a session (and the server, for all sessions) publishes on its observables. */

export type PortChange = 'added' | 'removed' | 'changed';
export interface PortEvent {
  session: SwitchSession;
  change: PortChange;
  port: OfPort;
}
export interface AsyncMessageEvent<T extends OfMessage = OfMessage> {
  session: SwitchSession;
  msg: T;
}
/** An OFPT_ERROR no request of ours claims (its xid is unknown or already settled). */
export interface UnsolicitedErrorEvent {
  session: SwitchSession;
  error: ErrorMsg;
  name: string;
}

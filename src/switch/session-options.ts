import { ControllerRole } from '../openflow/messages/index.js';
import { DEFAULT_OUTPUT_OPTIONS, type OutputQueueOptions } from './output-queue.js';

export type RoleName = 'equal' | 'master' | 'slave';
export const ROLE_CODES: Record<RoleName, number> = {
  equal: ControllerRole.Equal,
  master: ControllerRole.Master,
  slave: ControllerRole.Slave,
};

export interface SessionOptions {
  /** Send ECHO_REQUEST after this long without hearing from the switch. */
  echoIntervalMs: number;
  /** Drop the switch after this long without any message from it. */
  deadAfterMs: number;
  requestTimeoutMs: number;
  handshakeTimeoutMs: number;
  /** Largest multipart reply (all parts) we hold for one request; a switch sending more is dropped. */
  maxReplyBytes: number;
  output: OutputQueueOptions;
  /** Role to claim during the handshake; none = stay EQUAL (the OpenFlow default) without asking. */
  role?: { role: RoleName; generationId: bigint };
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  echoIntervalMs: 5_000,
  deadAfterMs: 15_000,
  requestTimeoutMs: 30_000,
  handshakeTimeoutMs: 10_000,
  maxReplyBytes: 512 * 1024 * 1024,
  output: DEFAULT_OUTPUT_OPTIONS,
};

import { errorName, errorTypeName, OFPET_EXPERIMENTER, type ErrorMsg } from '../openflow/messages/index.js';

/** Errors a caller of a switch session can receive; each names the switch and the request. */

/** The switch answered a request with OFPT_ERROR. */
export class OfpErrorReply extends Error {
  override readonly name = 'OfpErrorReply';
  constructor(
    /** e.g. "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ" or "type 4 code 9" when the codec has no name. */
    readonly errorName: string,
    readonly errType: number,
    readonly code: number,
    /** Type of the request the error refers to (`flow_mod`, `multipart_request`...). */
    readonly requestType: string,
    readonly xid: number,
    readonly switchName: string,
  ) {
    super(`${switchName}: ${requestType} xid=${xid} rejected: ${errorName}`);
  }
}

/**
 * The switch refused one message of a bundle, as it was added (the whole bundle is then discarded)
 * or while the commit applied it. `index` is the message's position in the array given to `bundle()`.
 */
export class BundleMessageError extends OfpErrorReply {
  /** What the message was, for logs (the reconciler puts the flow here, in ovs-ofctl syntax). */
  subject: string | undefined;
  constructor(
    errorName: string,
    errType: number,
    code: number,
    xid: number,
    switchName: string,
    readonly index: number,
    /** Type of the bundled message (`flow_mod`...). */
    readonly messageType: string,
  ) {
    super(errorName, errType, code, 'bundle_add_message', xid, switchName);
    this.message = `${this.message} (message ${index} of the bundle, a ${messageType})`;
  }

  /** Names the message (e.g. its flow) in `subject` and in the error message. */
  describe(subject: string): this {
    this.subject = subject;
    this.message = `${this.message}: ${subject}`;
    return this;
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly requestType: string,
    readonly xid: number,
    readonly timeoutMs: number,
    readonly switchName: string,
  ) {
    super(`${switchName}: ${requestType} xid=${xid} got no reply within ${timeoutMs} ms`);
  }
}

/** Pending requests are rejected with this when the connection goes away. */
export class SessionClosedError extends Error {
  override readonly name = 'SessionClosedError';
  constructor(
    readonly switchName: string,
    readonly reason: string,
  ) {
    super(`${switchName}: connection closed (${reason})`);
  }
}

/** "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ"; experimenter errors by their code name alone ("OFPBFC_MSG_FAILED"). */
export function describeOfpError(e: Pick<ErrorMsg, 'version' | 'errType' | 'code' | 'experimenter'>): string {
  const code = errorName(e.version, e.errType, e.code, e.experimenter) ?? `code ${e.code}`;
  if (e.errType === OFPET_EXPERIMENTER) return `${code} (experimenter 0x${(e.experimenter ?? 0).toString(16)})`;
  return `${errorTypeName(e.errType) ?? `type ${e.errType}`}/${code}`;
}

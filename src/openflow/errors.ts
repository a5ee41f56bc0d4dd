/**
 * Typed errors of the codec. Decoding never throws anything else: every malformed input
 * ends in a DecodeError that says where and why, so callers can log it and drop the peer.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    message: string,
    /** Byte offset (in the buffer being decoded) where the problem was found. */
    readonly offset = -1,
  ) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

/** Raised before anything is sent: a typed value that cannot be put on the wire (bad width, missing prerequisite...). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

/** Raised by the ovs-ofctl text parsers, with the offending text. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}

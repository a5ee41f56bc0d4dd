/**
 * The one error the packet codecs throw. Parsing never throws anything else (no RangeError or
 * TypeError from a short buffer): callers can catch it, log the message and drop the frame.
 */
export class PacketError extends Error {
  override readonly name = 'PacketError';
  constructor(
    message: string,
    /** Byte offset (in the buffer being parsed) where the problem was found, or -1. */
    readonly offset = -1,
  ) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

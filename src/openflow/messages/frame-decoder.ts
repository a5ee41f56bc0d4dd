import { DecodeError } from '../errors.js';
import { OFP_HEADER_LEN } from './constants.js';

/**
 * Splits a TCP byte stream into whole OpenFlow messages using the header length.
 * Frames that lie entirely inside one chunk are returned as views of it (no copy); only a
 * message spanning chunks is assembled into a new buffer, sized once its header is known.
 */
export class FrameDecoder {
  private pending = new Uint8Array(OFP_HEADER_LEN);
  private pendingLen = 0;
  /** Stream offset of the first byte of the current chunk, for error offsets. */
  private streamOffset = 0;

  /** Returns every complete frame now available; keeps the partial tail for the next call. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    const base = this.streamOffset;
    this.streamOffset += chunk.length;
    let pos = this.pendingLen > 0 ? this.fillPending(chunk, base, frames) : 0;
    if (this.pendingLen > 0) return frames;
    while (chunk.length - pos >= OFP_HEADER_LEN) {
      const len = frameLength(chunk, pos, base + pos);
      if (chunk.length - pos < len) break;
      frames.push(chunk.subarray(pos, pos + len));
      pos += len;
    }
    if (pos < chunk.length) {
      const tail = chunk.subarray(pos);
      this.pending = new Uint8Array(tail.length >= OFP_HEADER_LEN ? frameLength(tail, 0, base + pos) : OFP_HEADER_LEN);
      this.pending.set(tail, 0);
      this.pendingLen = tail.length;
    }
    return frames;
  }

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.pendingLen;
  }

  /** Completes the pending frame from the start of `chunk`; returns how many bytes it used. */
  private fillPending(chunk: Uint8Array, base: number, frames: Uint8Array[]): number {
    let used = 0;
    if (this.pendingLen < OFP_HEADER_LEN) {
      used = Math.min(OFP_HEADER_LEN - this.pendingLen, chunk.length);
      this.pending.set(chunk.subarray(0, used), this.pendingLen);
      this.pendingLen += used;
      if (this.pendingLen < OFP_HEADER_LEN) return used;
      const grown = new Uint8Array(frameLength(this.pending, 0, base - this.pendingLen + used));
      grown.set(this.pending.subarray(0, OFP_HEADER_LEN), 0);
      this.pending = grown;
    }
    const take = Math.min(this.pending.length - this.pendingLen, chunk.length - used);
    this.pending.set(chunk.subarray(used, used + take), this.pendingLen);
    this.pendingLen += take;
    used += take;
    if (this.pendingLen === this.pending.length) {
      frames.push(this.pending);
      this.pending = new Uint8Array(OFP_HEADER_LEN);
      this.pendingLen = 0;
    }
    return used;
  }
}

function frameLength(buf: Uint8Array, pos: number, streamPos: number): number {
  const len = (buf[pos + 2] << 8) | buf[pos + 3];
  if (len < OFP_HEADER_LEN) throw new DecodeError(`message length ${len} shorter than the 8-byte header`, streamPos + 2);
  return len;
}

import { OFPMPF_REPLY_MORE } from './constants.js';
import type { MultipartReply, MultipartReplyBody } from './types.js';
import { DecodeError } from '../errors.js';

/**
 * Joins the parts of one multipart reply (all with the same xid and type; every part but the
 * last has OFPMPF_REPLY_MORE) into a single reply with the MORE flag cleared. Pure: the session
 * layer collects the parts; this only concatenates their lists.
 */
export function mergeMultipartReplies(parts: readonly MultipartReply[]): MultipartReply {
  if (parts.length === 0) throw new DecodeError('no multipart reply parts to merge');
  const first = parts[0];
  const merged: MultipartReply = { ...first, flags: first.flags & ~OFPMPF_REPLY_MORE, body: cloneBody(first.body) };
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    if (p.xid !== first.xid || p.body.kind !== first.body.kind) {
      throw new DecodeError(`multipart part ${i} (xid ${p.xid}, ${p.body.kind}) does not belong to xid ${first.xid} ${first.body.kind}`);
    }
    appendBody(merged.body, p.body);
  }
  return merged;
}

/** True when more parts of this reply follow. */
export function hasMore(reply: MultipartReply): boolean {
  return (reply.flags & OFPMPF_REPLY_MORE) !== 0;
}

function cloneBody(b: MultipartReplyBody): MultipartReplyBody {
  const c = { ...b } as Record<string, unknown>;
  for (const k of LIST_KEYS) if (Array.isArray(c[k])) c[k] = [...(c[k] as unknown[])];
  return c as unknown as MultipartReplyBody;
}

const LIST_KEYS = ['flows', 'tables', 'ports', 'queues', 'groups', 'meters'] as const;

function appendBody(into: MultipartReplyBody, from: MultipartReplyBody): void {
  const a = into as unknown as Record<string, unknown>;
  const b = from as unknown as Record<string, unknown>;
  for (const k of LIST_KEYS) {
    if (Array.isArray(a[k]) && Array.isArray(b[k])) {
      (a[k] as unknown[]).push(...(b[k] as unknown[]));
      return;
    }
  }
  if (into.kind === 'raw' && from.kind === 'raw') {
    const data = new Uint8Array(into.data.length + from.data.length);
    data.set(into.data, 0);
    data.set(from.data, into.data.length);
    into.data = data;
    return;
  }
  throw new DecodeError(`multipart ${into.kind} replies cannot be split into parts`);
}

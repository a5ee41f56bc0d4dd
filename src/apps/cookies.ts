import { makeCookie } from '../config/pipeline.js';
import { Memo } from './flow-memo.js';

/**
 * Cookie object ids for topology objects: a flow's cookie names the port or network that owns it, so
 * a port's flows can be found (cookie=V/-1) and two snapshots diffed per owner.
 * UUIDs map to their first 48 bits (readable: cookie 0x5<uuid prefix>); other ids to a 48-bit FNV-1a hash.
 */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MASK_48 = (1n << 48n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

// Apps ask for the same few thousand ids over and over; hashing one costs more than a lookup.
const objectIds = Memo.shared<bigint>();

export function objectIdOf(id: string): bigint {
  return objectIds.get(id, () => computeObjectId(id));
}

function computeObjectId(id: string): bigint {
  if (UUID_RE.test(id)) return BigInt('0x' + id.replace(/-/g, '').slice(0, 12));
  let h = FNV_OFFSET;
  for (const byte of Buffer.from(id, 'utf8')) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  // Object 0 is reserved for per-host default flows.
  return (h & MASK_48) || 1n;
}

/** Per-host defaults (miss flows, patch classification): owned by no topology object. */
export const HOST_OBJECT = 0n;

export function ownerCookie(app: number, ownerId: string): bigint {
  return makeCookie(app, objectIdOf(ownerId));
}

export function hostCookie(app: number): bigint {
  return makeCookie(app, HOST_OBJECT);
}

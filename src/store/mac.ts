import { randomBytes } from 'node:crypto';
import { formatMac, mac } from '../openflow/oxm/addresses.js';

/** Lower-case colon form of a unicast, non-zero MAC, or undefined when `text` is not one. */
export function canonicalMac(text: string): string | undefined {
  let value: number;
  try {
    value = mac(text);
  } catch {
    return undefined;
  }
  const multicast = Math.floor(value / 2 ** 40) % 2 === 1;
  return multicast || value === 0 ? undefined : formatMac(value);
}

// Random bytes fetched in batches: one crypto call per MAC is a measurable share of a port create.
let pool = Buffer.alloc(0);
let poolAt = 0;

/** `prefix` (three bytes, "fa:16:3e") followed by three random bytes, as Neutron's base_mac does. */
export function randomMac(prefix: string): string {
  if (poolAt + 3 > pool.length) {
    pool = randomBytes(3 * 1024);
    poolAt = 0;
  }
  const tail = [0, 1, 2].map((i) => pool[poolAt + i].toString(16).padStart(2, '0'));
  poolAt += 3;
  return `${prefix}:${tail.join(':')}`;
}

import { OFPHET_VERSIONBITMAP } from './constants.js';
import type { Hello, HelloElement } from './types.js';

/** HELLO version negotiation (OF1.3.1 section 6.3.1, as Open vSwitch implements it). */

/** Versions a HELLO offers: its bitmap when present, else every version up to the header's. */
export function helloVersions(hello: Hello): number[] {
  const bitmap = hello.elements.find((e) => e.kind === 'versionbitmap');
  if (bitmap) {
    const out: number[] = [];
    bitmap.bitmaps.forEach((word, i) => {
      for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) out.push(32 * i + bit);
    });
    return out;
  }
  const out: number[] = [];
  for (let v = 1; v <= hello.version; v++) out.push(v);
  return out;
}

/** The highest version both sides support, or null (then send HELLO_FAILED/INCOMPATIBLE). */
export function negotiateVersion(peerHello: Hello, ourVersions: readonly number[]): number | null {
  const theirs = new Set(helloVersions(peerHello));
  let best: number | null = null;
  for (const v of ourVersions) if (theirs.has(v) && (best === null || v > best)) best = v;
  return best;
}

export function versionBitmapElement(versions: readonly number[]): HelloElement {
  const max = Math.max(0, ...versions);
  const bitmaps = new Array<number>(Math.floor(max / 32) + 1).fill(0);
  for (const v of versions) bitmaps[v >> 5] = (bitmaps[v >> 5] | (1 << (v & 31))) >>> 0;
  return { kind: 'versionbitmap', bitmaps };
}

/** Our HELLO: header version = highest we speak, plus a bitmap of all of them (like OVS). */
export function makeHello(versions: readonly number[], xid = 0): Hello {
  return { type: 'hello', version: Math.max(...versions), xid, elements: [versionBitmapElement(versions)] };
}

export { OFPHET_VERSIONBITMAP };

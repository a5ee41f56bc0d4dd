import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { decodeActions, encodeActions } from '../actions/index.js';
import { checkLength, patchLength, copyBytes } from './header.js';
import type { Bucket, MeterBand } from './types.js';

/** Group buckets (GROUP_MOD, GROUP_DESC) and meter bands (METER_MOD, METER_CONFIG), OF1.3 layout. */

export function encodeBuckets(w: Writer, buckets: readonly Bucket[]): void {
  for (const bk of buckets) {
    const start = w.pos;
    w.u16(0);
    w.u16(bk.weight);
    w.u32(bk.watchPort);
    w.u32(bk.watchGroup);
    w.zeros(4);
    encodeActions(w, bk.actions);
    patchLength(w, start, start);
  }
}

/** Reads buckets up to the reader's end. */
export function decodeBuckets(r: Reader): Bucket[] {
  const buckets: Bucket[] = [];
  while (r.remaining > 0) {
    r.need(16, 'bucket');
    const len = (r.buf[r.pos] << 8) | r.buf[r.pos + 1];
    checkLength(r, len, 16, 'bucket', true);
    buckets.push(
      r.withLimit(len, 'bucket', (br) => {
        br.skip(2);
        const weight = br.u16();
        const watchPort = br.u32();
        const watchGroup = br.u32();
        br.skip(4);
        return { weight, watchPort, watchGroup, actions: decodeActions(br) };
      }),
    );
  }
  return buckets;
}

export function encodeBands(w: Writer, bands: readonly MeterBand[]): void {
  for (const band of bands) {
    const start = w.pos;
    w.u16(band.type);
    w.u16(0);
    w.u32(band.rate);
    w.u32(band.burstSize);
    if (band.type === 2) {
      w.u8(band.precLevel);
      w.zeros(3);
    } else if (band.type === 0xffff) {
      w.u32(band.experimenter);
      w.bytes(band.data);
    } else {
      w.zeros(4);
    }
    patchLength(w, start + 2, start);
  }
}

export function decodeBands(r: Reader): MeterBand[] {
  const bands: MeterBand[] = [];
  while (r.remaining > 0) {
    r.need(16, 'meter band');
    const type = (r.buf[r.pos] << 8) | r.buf[r.pos + 1];
    const len = (r.buf[r.pos + 2] << 8) | r.buf[r.pos + 3];
    checkLength(r, len, 16, 'meter band');
    bands.push(
      r.withLimit(len, 'meter band', (br): MeterBand => {
        br.skip(4);
        const rate = br.u32();
        const burstSize = br.u32();
        if (type === 1 && len === 16) return { type: 1, rate, burstSize };
        if (type === 2 && len === 16) {
          const precLevel = br.u8();
          return { type: 2, rate, burstSize, precLevel };
        }
        if (type === 0xffff) return { type: 0xffff, rate, burstSize, experimenter: br.u32(), data: copyBytes(br, br.remaining) };
        throw new DecodeError(`meter band type ${type} with length ${len} not understood`, br.pos);
      }),
    );
  }
  return bands;
}

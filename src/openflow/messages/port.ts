import type { Reader, Writer } from '../bytes.js';
import type { OfPort } from './types.js';

export const OFP13_PORT_LEN = 64;

/** OF1.3 `ofp_port`. */
export function encodePort(w: Writer, p: OfPort): void {
  w.u32(p.portNo);
  w.zeros(4);
  w.u48(p.hwAddr);
  w.zeros(2);
  w.str(p.name, 16);
  w.u32(p.config);
  w.u32(p.state);
  w.u32(p.curr);
  w.u32(p.advertised);
  w.u32(p.supported);
  w.u32(p.peer);
  w.u32(p.currSpeed);
  w.u32(p.maxSpeed);
}

export function decodePort(r: Reader): OfPort {
  r.need(OFP13_PORT_LEN, 'ofp_port');
  const portNo = r.u32();
  r.skip(4);
  const hwAddr = r.u48();
  r.skip(2);
  return {
    portNo,
    hwAddr,
    name: r.str(16),
    config: r.u32(),
    state: r.u32(),
    curr: r.u32(),
    advertised: r.u32(),
    supported: r.u32(),
    peer: r.u32(),
    currSpeed: r.u32(),
    maxSpeed: r.u32(),
  };
}

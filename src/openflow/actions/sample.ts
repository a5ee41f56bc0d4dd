import type { Reader, Writer } from '../bytes.js';
import { DecodeError, ParseError } from '../errors.js';
import { NXAST, OFPP } from './codes.js';
import { endAction, nxHeader } from './encode.js';
import { formatPort, parsePort, parseUint, portFrom16, portTo16 } from './ports.js';
import { splitKeyValues } from './text.js';
import type { Action } from './types.js';

type Sample = Extract<Action, { type: 'sample' }>;

const DIRECTIONS = ['', 'ingress', 'egress'];

/** nx_action_sample (24 bytes); sample2/sample3 add a 16-bit sampling port and a direction (32 bytes). */
export function decodeSample(r: Reader, subtype: number, len: number): Sample {
  const want = subtype === NXAST.SAMPLE ? 24 : 32;
  if (len !== want) throw new DecodeError(`sample action has length ${len}, expected ${want}`, r.pos - 10);
  const a: Sample = {
    type: 'sample',
    probability: r.u16(),
    collectorSetId: r.u32(),
    obsDomainId: r.u32(),
    obsPointId: r.u32(),
    samplingPort: OFPP.ANY,
    direction: 0,
    wire: 'sample',
  };
  if (subtype !== NXAST.SAMPLE) {
    a.samplingPort = portFrom16(r.u16());
    const direction = r.u8();
    // sample2 has no direction byte: it is padding there.
    if (subtype === NXAST.SAMPLE3) a.direction = direction;
    else if (direction) throw new DecodeError('non-zero padding in sample2', r.pos - 1);
    a.wire = subtype === NXAST.SAMPLE3 ? 'sample3' : 'sample2';
  }
  return a;
}

export function encodeSample(w: Writer, a: Sample): void {
  const wire = a.wire ?? (a.direction ? 'sample3' : a.samplingPort !== OFPP.ANY ? 'sample2' : 'sample');
  const s = nxHeader(w, wire === 'sample' ? NXAST.SAMPLE : wire === 'sample2' ? NXAST.SAMPLE2 : NXAST.SAMPLE3);
  w.u16(a.probability);
  w.u32(a.collectorSetId);
  w.u32(a.obsDomainId);
  w.u32(a.obsPointId);
  if (wire !== 'sample') {
    w.u16(portTo16(a.samplingPort));
    w.u8(wire === 'sample3' ? a.direction : 0);
  }
  endAction(w, s);
}

export function formatSample(a: Sample): string {
  let s = `sample(probability=${a.probability},collector_set_id=${a.collectorSetId},obs_domain_id=${a.obsDomainId},obs_point_id=${a.obsPointId}`;
  if (a.samplingPort !== OFPP.ANY) s += `,sampling_port=${formatPort(a.samplingPort)}`;
  if (a.direction) s += `,${DIRECTIONS[a.direction] ?? a.direction}`;
  return s + ')';
}

export function parseSample(text: string): Sample {
  const a: Sample = { type: 'sample', probability: 0, collectorSetId: 0, obsDomainId: 0, obsPointId: 0, samplingPort: OFPP.ANY, direction: 0 };
  for (const kv of splitKeyValues(text)) {
    switch (kv.key) {
      case 'probability':
        a.probability = parseUint(kv.value, 0xffff, 'sample probability');
        break;
      case 'collector_set_id':
        a.collectorSetId = parseUint(kv.value, 0xffffffff, 'sample collector_set_id');
        break;
      case 'obs_domain_id':
        a.obsDomainId = parseUint(kv.value, 0xffffffff, 'sample obs_domain_id');
        break;
      case 'obs_point_id':
        a.obsPointId = parseUint(kv.value, 0xffffffff, 'sample obs_point_id');
        break;
      case 'sampling_port':
        a.samplingPort = parsePort(kv.value);
        break;
      case 'ingress':
      case 'egress':
        a.direction = DIRECTIONS.indexOf(kv.key);
        break;
      default:
        throw new ParseError(`unknown sample option "${kv.key}"`);
    }
  }
  if (!a.probability) throw new ParseError('sample: probability must be non-zero');
  return a;
}

import { ParseError } from '../errors.js';
import { fieldByName } from './fields.js';
import type { Subfield } from './types.js';

/** `NXM_NX_REG0[0..15]`, `NXM_OF_ETH_DST[]`, `NXM_NX_REG1[3]`, as OVS prints subfields (mf_format_subfield). */
export function formatSubfield(sf: Subfield): string {
  const name = sf.field.nxmName;
  if (sf.ofs === 0 && sf.nBits === sf.field.bits) return `${name}[]`;
  if (sf.nBits === 1) return `${name}[${sf.ofs}]`;
  return `${name}[${sf.ofs}..${sf.ofs + sf.nBits - 1}]`;
}

const SUBFIELD_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/;

/** Any field spelling with `[]`, `[bit]`, `[start..end]`, or no brackets (the whole field). */
export function parseSubfield(text: string): Subfield {
  const m = SUBFIELD_RE.exec(text.trim());
  if (!m) throw new ParseError(`${text}: invalid subfield syntax`);
  const field = fieldByName(m[1]);
  if (!field) throw new ParseError(`${text}: unknown field \`${m[1]}'`);
  if (m[2] === undefined) return { field, ofs: 0, nBits: field.bits };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (end < start) throw new ParseError(`${text}: starting bit ${start} is after ending bit ${end}`);
  if (end >= field.bits) {
    throw new ParseError(`${text}: bits ${start} to ${end} are out of range for ${field.bits}-bit field ${field.name}`);
  }
  return { field, ofs: start, nBits: end - start + 1 };
}

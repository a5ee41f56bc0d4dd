import { ParseError } from '../errors.js';
import { parseSubfield, type MatchBuilder, type OxmFieldDef } from '../oxm/index.js';

/**
 * Match on part of a field, `reg5[3]=1` or `reg0[0..7]=0x5` (ovs-ofctl's parse_subfield): each
 * assignment sets those bits of the field's value and mask, and assignments to one field add up.
 * They are handed to the MatchBuilder as one `value/mask` per field once the flow is read.
 */
export class SubfieldMatches {
  private readonly byField = new Map<string, { field: OxmFieldDef; value: bigint; mask: bigint }>();

  /** False when `key` is not subfield syntax. */
  add(key: string, value: string | undefined): boolean {
    if (!key.includes('[')) return false;
    const sf = parseSubfield(key);
    if (value === undefined || !/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(value)) {
      throw new ParseError(`${key}: cannot parse integer value: ${value ?? ''}`);
    }
    const v = BigInt(value);
    if (v >> BigInt(sf.nBits) !== 0n) {
      const shown = sf.field.format === 'hex' ? `0x${v.toString(16)}` : v.toString();
      throw new ParseError(`${key}: value ${shown} does not fit into ${sf.nBits} bits`);
    }
    const bits = ((1n << BigInt(sf.nBits)) - 1n) << BigInt(sf.ofs);
    const acc = this.byField.get(sf.field.name) ?? { field: sf.field, value: 0n, mask: 0n };
    acc.value = (acc.value & ~bits) | (v << BigInt(sf.ofs));
    acc.mask |= bits;
    this.byField.set(sf.field.name, acc);
    return true;
  }

  /** Hands the merged assignments to the builder; a field also matched whole is ambiguous and refused. */
  applyTo(builder: MatchBuilder, wholeFields: ReadonlySet<string>): void {
    for (const { field, value, mask } of this.byField.values()) {
      if (wholeFields.has(field.name)) throw new ParseError(`${field.name}: matched both whole and by subfield`);
      if (!builder.add(field.name, `0x${value.toString(16)}/0x${mask.toString(16)}`)) {
        throw new ParseError(`${field.name}: subfield match not supported`);
      }
    }
  }
}

/**
 * OXM / NXM match fields: registry, wire codec, prerequisites and ovs-ofctl text.
 *
 * - Wire: `encodeMatch`/`decodeMatch` (struct ofp_match), `encodeOxmEntry`/`decodeOxmEntry` (one TLV, for set_field
 *   and packet-in), `encodeFieldHeader`/`decodeFieldHeader` (the NXM header Nicira actions embed).
 *   Decoded entries keep the header they came with (an NXM header decodes to a copy of the field carrying it):
 *   compare fields by `name`.
 * - Text: `MatchBuilder` (ovs-ofctl match text → entries in OVS's wire order, implied eth_type/ip_proto included),
 *   `formatMatch` (entries → OVS's match text), `formatValue`/`parseValue` (set_field/learn values),
 *   `formatSubfield`/`parseSubfield`.
 */
export * from './types.js';
export { FIELDS, fieldByName, fieldByHeader } from './fields.js';
export { encodeMatch, decodeMatch, encodeOxmEntry, decodeOxmEntry, encodeFieldHeader, decodeFieldHeader, readFieldValue } from './codec.js';
export type { FieldHeader } from './codec.js';
export { checkPrerequisites } from './prereq.js';
export { formatValue, parseValue } from './values.js';
export { formatSubfield, parseSubfield } from './subfield.js';
export { formatMatch } from './format.js';
export { MatchBuilder } from './builder.js';
export { mac, ipv4, ipv6, formatMac, formatIpv4, formatIpv6 } from './addresses.js';

/** The one place actions reach into the field registry, so its API is adapted here only. */
export {
  fieldByName,
  fieldByHeader,
  decodeFieldHeader,
  encodeFieldHeader,
  encodeOxmEntry,
  decodeOxmEntry,
  formatSubfield,
  parseSubfield,
  formatValue,
  parseValue,
  readFieldValue,
  formatIpv4,
  formatIpv6,
  ipv4,
  ipv6,
} from '../oxm/index.js';

import { DecodeError } from '../openflow/errors.js';
import { decodeMessage, formatMessage } from '../openflow/messages/index.js';

interface Out {
  write(s: string): unknown;
}

/** Decodes exactly one message from hex; returns the process exit code (0 ok, 1 bad input). */
export function ofpPrintCommand(hexText: string, out: Out, err: Out): number {
  const hex = hexText.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
    err.write('neutrino ofp-print: input is not an even number of hex digits\n');
    return 1;
  }
  const bytes = Buffer.from(hex, 'hex');
  try {
    if (bytes.length < 8) throw new DecodeError(`message shorter than the 8-byte OpenFlow header (${bytes.length} bytes)`);
    const declared = (bytes[2] << 8) | bytes[3];
    if (declared !== bytes.length) {
      throw new DecodeError(`header says ${declared} bytes but ${bytes.length} were given`);
    }
    out.write(formatMessage(decodeMessage(bytes)) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof DecodeError) {
      err.write(`neutrino ofp-print: bytes do not decode: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

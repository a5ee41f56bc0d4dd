import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Golden OpenFlow messages made by Open vSwitch itself (`ovs-ofctl`), generated at test time so
 * no bytes are ever written by hand. Every helper throws when ovs-ofctl is missing: the tests
 * that use them must fail, not silently pass on an empty corpus.
 */

export interface Sample {
  /** What produced it (the flow text, group text, command), for failure messages. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

function ovsOfctl(args: string[]): string {
  const res = spawnSync('ovs-ofctl', args, { encoding: 'utf8' });
  if (res.error) throw new Error(`ovs-ofctl is required for these tests: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`ovs-ofctl ${args.join(' ')} failed: ${res.stderr.trim()}`);
  return res.stdout;
}

const HEX_DUMP_LINE = /^([0-9a-f]{8}) {2}([0-9a-f -]+?)\s*(\||$)/;

/**
 * Cuts ovs-ofctl hex dumps (`00000000  04 0e 00 98 ...`) into messages: a dump restarts at offset 0.
 * With `messagesOnly`, dumps without the `|ascii|` column (packet payloads printed by -mmmmm) are skipped.
 */
export function messagesFromHexDump(stdout: string, messagesOnly = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  let hex = '';
  for (const line of stdout.split('\n')) {
    const m = HEX_DUMP_LINE.exec(line);
    if (!m || (messagesOnly && m[3] !== '|')) continue;
    if (m[1] === '00000000' && hex) {
      out.push(Buffer.from(hex, 'hex'));
      hex = '';
    }
    hex += m[2].replace(/[ -]/g, '');
  }
  if (hex) out.push(Buffer.from(hex, 'hex'));
  for (const msg of out) {
    const declared = (msg[2] << 8) | msg[3];
    if (declared !== msg.length) throw new Error(`hex dump cut wrong: header says ${declared}, got ${msg.length} bytes`);
  }
  return out.map((b) => new Uint8Array(b));
}

/** FLOW_MODs for many flows in one ovs-ofctl run (parse-flows keeps the order of the file). */
export function ovsFlowMods(flows: readonly string[], version = 'OpenFlow13'): Sample[] {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-flows-'));
  try {
    const file = join(dir, 'flows.txt');
    writeFileSync(file, flows.join('\n') + '\n');
    const msgs = messagesFromHexDump(ovsOfctl(['-O', version, '-mmmmm', 'parse-flows', file]));
    if (msgs.length !== flows.length) throw new Error(`expected ${flows.length} FLOW_MODs from ovs-ofctl, got ${msgs.length}`);
    return msgs.map((bytes, i) => ({ name: `${version} flow ${flows[i]}`, bytes }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ovsGroupMod(group: string, version = 'OpenFlow13'): Sample {
  const [bytes] = messagesFromHexDump(ovsOfctl(['-O', version, '-mmmmm', 'parse-group', group]));
  return { name: `${version} group ${group}`, bytes };
}

/** HELLO with a version bitmap element, e.g. 0x52 = OF1.0 + OF1.3 + OF1.5. */
export function ovsHello(bitmap: number): Sample {
  const [bytes] = messagesFromHexDump(ovsOfctl(['encode-hello', `0x${bitmap.toString(16)}`]));
  return { name: `hello ${bitmap.toString(16)}`, bytes };
}

/** ERROR reply quoting `request` (OVS chooses the type/code numbers for the version of the request). */
export function ovsErrorReply(error: string, request: Uint8Array): Sample {
  const [bytes] = messagesFromHexDump(ovsOfctl(['encode-error-reply', error, Buffer.from(request).toString('hex')]));
  return { name: `error ${error}`, bytes };
}

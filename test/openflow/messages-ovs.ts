import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Helpers that ask Open vSwitch's ovs-ofctl (the oracle) to print or produce OpenFlow bytes. */

function run(args: string[], input?: string): string {
  try {
    return execFileSync('ovs-ofctl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}***ovs-ofctl failed***`;
  }
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** `ovs-ofctl ofp-print HEX` (stdout only; warnings go to stderr). */
export function ofpPrint(bytes: Uint8Array): string {
  return run(['ofp-print', toHex(bytes)]).replace(/\n$/, '');
}

/** Prints a stream of messages in one process (`ofp-parse FILE`); returns one text block per message. */
export function ofpParseMany(msgs: Uint8Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-msgs-'));
  try {
    const file = join(dir, 'stream.bin');
    writeFileSync(file, Buffer.concat(msgs.map((m) => Buffer.from(m))));
    return run(['ofp-parse', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses the `-m` hex dump lines (`00000010  00 01 ...-... |...|`) of an ovs-ofctl output. */
export function hexDumpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]{8} {2}([0-9a-f -]*)/.exec(line);
    if (!m) continue;
    for (const h of m[1].replace(/-/g, ' ').trim().split(/\s+/)) if (h) bytes.push(parseInt(h, 16));
  }
  return Buffer.from(bytes);
}

/** Bytes of the FLOW_MOD ovs-ofctl builds for `flow` (OVS-generated golden data). */
export function ovsFlowMod(flow: string, version = 'OpenFlow13'): { bytes: Buffer; text: string } {
  const out = run(['-O', version, '-mmmmm', 'parse-flow', flow]);
  const text = out.split('\n').find((l) => l.startsWith('OFPT_FLOW_MOD')) ?? out;
  return { bytes: hexDumpBytes(out), text };
}

/** Bytes and text of the GROUP_MOD ovs-ofctl builds for `group`. */
export function ovsGroupMod(group: string, version = 'OpenFlow13'): { bytes: Buffer; text: string } {
  const out = run(['-O', version, '-mmmmm', 'parse-group', group]);
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.startsWith('OFPT_GROUP_MOD'));
  return { bytes: hexDumpBytes(out), text: i >= 0 ? `${lines[i]}\n${lines[i + 1]}` : out };
}

/** The HELLO `ovs-ofctl encode-hello BITMAP` prints, and its text. */
export function ovsHello(bitmap: number): { bytes: Buffer; text: string } {
  const out = run(['encode-hello', `0x${bitmap.toString(16)}`]);
  const [hexLine, ...rest] = out.split('\n');
  return { bytes: hexDumpBytes(hexLine), text: rest.join('\n').replace(/\n$/, '') };
}

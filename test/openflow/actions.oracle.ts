import { spawnSync } from 'node:child_process';

/** What ovs-ofctl (the oracle) emits for one flow: the instruction bytes of the FLOW_MOD and the text after `actions=`. */
export interface OvsFlowActions {
  readonly bytes: Uint8Array;
  readonly text: string;
}

const HEX_LINE = /^[0-9a-f]{8} {2}(.{47})/;

/** Runs `ovs-ofctl -O OpenFlow13 -mmmmm parse-flow` and cuts the instructions out of the FLOW_MOD it prints. */
export function ovsFlowActions(match: string, actions: string): OvsFlowActions {
  const flow = `table=0,${match}${match ? ',' : ''}actions=${actions}`;
  const res = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', '-mmmmm', 'parse-flow', flow], { encoding: 'utf8' });
  if (res.error) throw new Error(`ovs-ofctl is required for these tests: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`ovs-ofctl rejected "${flow}": ${res.stderr.trim()}`);
  const lines = res.stdout.split('\n');
  const textLine = lines.find((l) => l.startsWith('OFPT_FLOW_MOD'));
  if (!textLine) throw new Error(`no FLOW_MOD printed for "${flow}"`);
  if (textLine.includes('***')) throw new Error(`ovs-ofctl cannot decode what it encoded for "${flow}": ${textLine}`);
  const at = textLine.indexOf(' actions=');
  const text = textLine.slice(at + ' actions='.length);
  let hex = '';
  for (const l of lines) {
    const m = HEX_LINE.exec(l);
    if (m) hex += m[1].replace(/[ -]/g, '');
  }
  const msg = Buffer.from(hex, 'hex');
  // ofp_match starts at byte 48; its length (bytes 50-51) excludes the padding to 8.
  const matchLen = msg.readUInt16BE(50);
  const instStart = 48 + Math.ceil(matchLen / 8) * 8;
  return { bytes: new Uint8Array(msg.subarray(instStart)), text };
}

/** Decodes hex with ovs-ofctl ofp-print, for error probing. */
export function ovsPrint(hex: string): string {
  const res = spawnSync('ovs-ofctl', ['ofp-print', hex], { encoding: 'utf8' });
  if (res.error) throw new Error(`ovs-ofctl is required for these tests: ${res.error.message}`);
  return res.stdout + res.stderr;
}

/**
 * What ovs-ofctl prints after "actions=" for a FLOW_MOD (table=0,ip) carrying these instruction bytes,
 * or the `***decode error...***` text when OVS rejects them.
 */
export function ovsDecodeInstructions(instructions: Uint8Array): string {
  const base = flowModPrefix();
  const msg = Buffer.concat([base, instructions]);
  msg.writeUInt16BE(msg.length, 2);
  const out = ovsPrint(msg.toString('hex'));
  const line = out.split('\n').find((l) => l.startsWith('OFPT_FLOW_MOD')) ?? out;
  const at = line.indexOf(' actions=');
  return at >= 0 ? line.slice(at + ' actions='.length) : line;
}

let prefix: Buffer | undefined;
/** FLOW_MOD header, body and match of `table=0,ip,actions=drop`, as ovs-ofctl encodes it. */
function flowModPrefix(): Buffer {
  if (!prefix) {
    const res = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', '-mmmmm', 'parse-flow', 'table=0,ip,actions=drop'], { encoding: 'utf8' });
    if (res.error) throw new Error(`ovs-ofctl is required for these tests: ${res.error.message}`);
    let hex = '';
    for (const l of res.stdout.split('\n')) {
      const m = HEX_LINE.exec(l);
      if (m) hex += m[1].replace(/[ -]/g, '');
    }
    prefix = Buffer.from(hex, 'hex');
  }
  return prefix;
}

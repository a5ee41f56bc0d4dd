import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OvsSandbox } from './ovs-sandbox.js';
import type { Sample } from './ovs-samples.js';

/**
 * What ovs-ofctl itself sends to a switch (PACKET_OUT, PORT_MOD, TABLE_MOD, METER_MOD, multipart
 * requests, bundles, echo, SET_CONFIG, Nicira extensions...), recorded by a tiny relay between
 * ovs-ofctl and the sandbox switch. The relay is a separate node process because ovs-ofctl is run
 * synchronously here. Messages are cut by their header length only (independent of FrameDecoder).
 */

/** Relays unix-socket connections to the switch and appends each client chunk as a hex line. */
const RELAY = `
const net = require('node:net');
const fs = require('node:fs');
const [listenPath, switchPath, logPath] = process.argv.slice(1);
let conn = 0;
net.createServer((client) => {
  const id = conn++;
  const sw = net.connect(switchPath);
  client.on('data', (d) => { fs.appendFileSync(logPath, id + ' ' + d.toString('hex') + '\\n'); sw.write(d); });
  sw.on('data', (d) => client.write(d));
  client.on('close', () => sw.end());
  sw.on('close', () => client.end());
  client.on('error', () => sw.destroy());
  sw.on('error', () => client.destroy());
}).listen(listenPath);
`;

/** The ovs-ofctl commands whose requests we keep: [OpenFlow version, command, args...]. */
const COMMANDS: ReadonlyArray<readonly string[]> = [
  ['OpenFlow13', 'packet-out', 'in_port=1 packet=fa163e000002fa163e000001080045000014000000004011000000000a0000010a000002 actions=output:2'],
  ['OpenFlow13', 'packet-out', 'in_port=LOCAL packet=fffffffffffffa163e0000010806 actions=mod_vlan_vid:5,output:1'],
  ['OpenFlow15', 'packet-out', 'in_port=1 packet=fffffffffffffa163e0000010806 actions=output:2'],
  ['OpenFlow13', 'mod-port', 'p1', 'down'],
  ['OpenFlow13', 'mod-port', 'p1', 'up'],
  ['OpenFlow13', 'mod-port', 'p2', 'no-flood'],
  ['OpenFlow14', 'mod-table', '0', 'evict'],
  ['OpenFlow13', 'add-meter', 'meter=7,pktps,burst,stats,band=type=drop,rate=100,burst_size=10'],
  ['OpenFlow13', 'mod-meter', 'meter=7,kbps,band=type=dscp_remark,rate=1000,prec_level=1'],
  ['OpenFlow13', 'del-meters', 'meter=7'],
  ['OpenFlow13', 'del-flows', 'tcp,tp_dst=80'],
  ['OpenFlow13', '--strict', 'del-flows', 'priority=5,ip,nw_dst=10.0.0.0/8'],
  ['OpenFlow13', 'mod-flows', 'table=0,cookie=0x5/0xff,actions=drop'],
  ['OpenFlow13', 'dump-flows', 'table=0,cookie=0x1/-1,ip,nw_src=10.0.0.1'],
  ['OpenFlow13', 'dump-aggregate', 'udp'],
  ['OpenFlow13', 'dump-ports', '1'],
  ['OpenFlow13', 'dump-groups', '1'],
  ['OpenFlow13', 'dump-group-stats', '1'],
  ['OpenFlow13', 'meter-stats', 'meter=3'],
  ['OpenFlow13', 'queue-stats'],
  ['OpenFlow13', 'dump-table-features'],
  ['OpenFlow13', 'set-frags', 'drop'],
  ['OpenFlow13', 'probe'],
  ['OpenFlow13', 'add-tlv-map', '{class=0xffff,type=0,len=4}->tun_metadata0'],
  ['OpenFlow13', 'dump-tlv-map'],
  ['OpenFlow13', 'ct-flush-zone', '5'],
  ['OpenFlow13', 'dump-ipfix-bridge'],
  ['OpenFlow13', '--bundle', 'add-flow', 'table=3,priority=9,ip,actions=output:1'],
  ['OpenFlow14', '--bundle', 'add-flow', 'table=3,priority=10,ip,actions=output:2'],
  ['OpenFlow15', 'dump-flows'],
  ['OpenFlow15', 'add-group', 'group_id=20,type=select,selection_method=hash,fields(ip_src),bucket=bucket_id:1,actions=output:1'],
];

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Cuts a byte stream into messages by the header length; stops at anything that is not a message. */
function splitMessages(stream: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at + 8 <= stream.length; ) {
    const len = stream.readUInt16BE(at + 2);
    if (len < 8 || at + len > stream.length) break;
    out.push(new Uint8Array(stream.subarray(at, at + len)));
    at += len;
  }
  return out;
}

/** Runs COMMANDS against the sandbox through the relay; returns every message ovs-ofctl sent. */
export function ovsOfctlRequests(sw: OvsSandbox): Sample[] {
  const relayPath = join(sw.dir, 'relay.sock');
  const logPath = join(sw.dir, 'relay.log');
  const relay = spawn(process.execPath, ['-e', RELAY, relayPath, join(sw.dir, 'br0.mgmt'), logPath], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(relayPath); i++) sleepMs(20);
    if (!existsSync(relayPath)) throw new Error('the ovs-ofctl relay did not start');
    for (const [version, ...cmd] of COMMANDS) {
      const opts = cmd[0].startsWith('--') ? [cmd.shift()!] : [];
      const [name, ...args] = cmd;
      spawnSync('ovs-ofctl', ['-O', version, ...opts, name, `unix:${relayPath}`, ...args], { encoding: 'utf8', timeout: 10_000 });
    }
    sleepMs(100); // let the relay write the last chunks
  } finally {
    relay.kill();
  }
  const streams = new Map<string, string>();
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    const [id, hex] = line.split(' ');
    if (hex) streams.set(id, (streams.get(id) ?? '') + hex);
  }
  // Every connection starts with the same HELLO and many end with the same BARRIER: keep one of each.
  const unique = new Map<string, Sample>();
  for (const [id, hex] of streams) {
    splitMessages(Buffer.from(hex, 'hex')).forEach((bytes, i) => {
      const key = Buffer.from(bytes.subarray(8)).toString('hex') + bytes[0] + bytes[1];
      if (!unique.has(key)) unique.set(key, { name: `ovs-ofctl request conn ${id} #${i}`, bytes });
    });
  }
  return [...unique.values()];
}

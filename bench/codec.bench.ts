/**
 * FlowMod codec benchmark, ours against os-ken in the same run: `npm run bench:codec`
 * (options: `-- --seconds 2 --rounds 5`). One core each: warm-up, then --rounds timed loops of at
 * least --seconds of CPU time; the best round counts. Rates are per CPU-second (process CPU time),
 * so a loaded shared machine skews them less than wall time would; wall-time rates are shown too.
 *
 * The FlowMod is a typical Neutron OVS-agent flow, 4 match fields + 3 actions, 136 bytes on the
 * wire. Its bytes come from ovs-ofctl; the TS value is decoded from them (and must re-encode to
 * the same bytes); bench/os_ken_flowmod.py builds the same flow with os-ken and times it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Writer } from '../src/openflow/bytes.js';
import { decodeMessage, encodeMessage, encodeMessageToBuffer, type FlowMod } from '../src/openflow/messages/index.js';
import { fieldByName, ipv4, mac, type OxmFieldDef } from '../src/openflow/oxm/index.js';
import { ovsFlowMods } from '../test/support/ovs-samples.js';

const BENCH_FLOW =
  'table=0,priority=100,ip,in_port=5,nw_src=10.1.2.3,nw_dst=172.16.3.4,' +
  'actions=set_field:fa:16:3e:11:22:33->eth_dst,push_vlan:0x8100,output:7';
const TARGET = { encode: 1_000_000, decode: 1_500_000 };
const OS_KEN_PYTHON = '/usr/bin/python3'; // Debian's python: python3-os-ken is not in pyenv's.

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]) || fallback;
}
const seconds = option('seconds', 1);
const rounds = option('rounds', 3);

interface OsKenResult {
  os_ken: string;
  bytes: number;
  hex: string;
  encodePerSec: number;
  buildAndEncodePerSec: number;
  decodePerSec: number;
}

interface Rate {
  /** Operations per CPU-second of this process (GC threads included, so slightly pessimistic). */
  cpu: number;
  /** Operations per wall-clock second. */
  wall: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Best rate of `fn` (which runs `batch` operations per call) over the rounds, after a warm-up. */
function rate(batch: number, fn: () => void): Rate {
  const warmUpEnd = performance.now() + 300;
  while (performance.now() < warmUpEnd) fn();
  const best: Rate = { cpu: 0, wall: 0 };
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const cpu0 = cpuMs();
    const wall0 = performance.now();
    let cpu = 0;
    do {
      fn();
      ops += batch;
      cpu = cpuMs() - cpu0;
    } while (cpu < seconds * 1000);
    best.cpu = Math.max(best.cpu, (ops / cpu) * 1000);
    best.wall = Math.max(best.wall, (ops / (performance.now() - wall0)) * 1000);
  }
  return best;
}

function runOsKen(): OsKenResult {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'os_ken_flowmod.py');
  const res = spawnSync(OS_KEN_PYTHON, [script, '--seconds', String(seconds), '--rounds', String(rounds)], { encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new Error(`os-ken baseline failed: ${res.error?.message ?? res.stderr}`);
  return JSON.parse(res.stdout) as OsKenResult;
}

function field(name: string): OxmFieldDef {
  const f = fieldByName(name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}
const IN_PORT = field('in_port_oxm');
const ETH_TYPE = field('eth_type');
const IPV4_SRC = field('ip_src');
const IPV4_DST = field('ip_dst');
const ETH_DST = field('eth_dst');

/** The bench flow built as an application would, addresses parsed from text like os-ken's build does. */
function buildFlowMod(): FlowMod {
  return {
    type: 'flow_mod',
    version: 4,
    xid: 1,
    cookie: 0n,
    cookieMask: 0n,
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 100,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    flags: 0,
    importance: 0,
    match: [
      { field: IN_PORT, value: 5 },
      { field: ETH_TYPE, value: 0x0800 },
      { field: IPV4_SRC, value: ipv4('10.1.2.3') },
      { field: IPV4_DST, value: ipv4('172.16.3.4') },
    ],
    instructions: [
      {
        type: 'apply_actions',
        actions: [
          { type: 'set_field', field: ETH_DST, value: mac('fa:16:3e:11:22:33') },
          { type: 'push_vlan', ethertype: 0x8100 },
          { type: 'output', port: 7, maxLen: 0 },
        ],
      },
    ],
  };
}

const ovsBytes = ovsFlowMods([BENCH_FLOW])[0].bytes;
const msg = decodeMessage(ovsBytes);
if (msg.type !== 'flow_mod') throw new Error(`bench flow decoded as ${msg.type}`);
if (!Buffer.from(ovsBytes).equals(encodeMessageToBuffer(msg))) throw new Error('our encoding of the bench FlowMod differs from OVS');
if (!Buffer.from(ovsBytes).equals(encodeMessageToBuffer(buildFlowMod()))) throw new Error('the built bench FlowMod encodes differently from OVS');

const BATCH = 1000;
let sink = 0;
const w = new Writer(BATCH * 256);
const encodeIntoWriter = rate(BATCH, () => {
  // A batch of FlowMods into one buffer, as a session writes them to its socket.
  w.reset();
  for (let i = 0; i < BATCH; i++) encodeMessage(w, msg);
  sink += w.pos;
});
const encodeToBuffer = rate(BATCH, () => {
  for (let i = 0; i < BATCH; i++) sink += encodeMessageToBuffer(msg).length;
});
const buildAndEncode = rate(BATCH, () => {
  w.reset();
  for (let i = 0; i < BATCH; i++) encodeMessage(w, buildFlowMod());
  sink += w.pos;
});
const decode = rate(BATCH, () => {
  for (let i = 0; i < BATCH; i++) {
    const m = decodeMessage(ovsBytes);
    if (m.type === 'flow_mod') sink += m.priority;
  }
});

const osKen = runOsKen();
const osKenBytes = Buffer.from(osKen.hex, 'hex');
const sameValue = isDeepStrictEqual(decodeMessage(osKenBytes), msg);
if (!sameValue) throw new Error(`os-ken's FlowMod decodes differently from OVS's: ${osKen.hex}`);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`.padStart(7);
const verdict = (v: number, target: number): string => (v >= target ? 'ok' : `BELOW ${fmt(target).trim()}`);
const row = (label: string, ours: Rate, theirs: number | undefined, target?: number): string =>
  `${label.padEnd(38)}${fmt(ours.cpu)} ${fmt(ours.wall)} ${theirs === undefined ? ' '.repeat(11) : fmt(theirs)} ${theirs === undefined ? ' '.repeat(7) : ratio(ours.cpu, theirs)}  ${target === undefined ? '' : verdict(ours.cpu, target)}`;

console.log(`FlowMod codec, ${ovsBytes.length} bytes: ${BENCH_FLOW}`);
console.log(`node ${process.version}, os-ken ${osKen.os_ken}; os-ken's bytes ${Buffer.from(ovsBytes).equals(osKenBytes) ? 'are identical to' : 'decode the same as'} OVS's`);
console.log(`best of ${rounds} rounds of ${seconds} CPU-second(s) each; rates in messages per second`);
console.log('');
console.log(`${''.padEnd(38)}${'ours/cpu-s'.padStart(11)} ${'ours/wall-s'.padStart(11)} ${'os-ken'.padStart(11)} ${'ratio'.padStart(7)}  target`);
console.log(row('encode (encodeMessage, shared Writer)', encodeIntoWriter, osKen.encodePerSec, TARGET.encode));
console.log(row('encode (encodeMessageToBuffer)', encodeToBuffer, osKen.encodePerSec));
console.log(row('decode (decodeMessage)', decode, osKen.decodePerSec, TARGET.decode));
console.log(row('build + encode (shared Writer)', buildAndEncode, osKen.buildAndEncodePerSec));
console.log('os-ken: encode = OFPFlowMod.serialize() of a prebuilt object, build + encode = OFPMatch/actions/OFPFlowMod');
console.log('objects then serialize(), decode = ofproto_parser.msg(); ratio = ours/cpu-s over os-ken');
if (sink === 0) console.log('(sink)');

/**
 * Builds the golden codec fixtures from Open vSwitch itself: never edit the output by hand.
 *
 *   npm run fixtures:codec
 *
 * Needs Open vSwitch 3.1 on PATH (ovs-ofctl, ovs-vsctl, ovsdb-tool, ovsdb-server, ovs-vswitchd; no root,
 * no kernel module: OVS_SCHEMA overrides the vswitch.ovsschema path). Regenerate after any corpus edit.
 *
 * Reads scripts/codec-corpus.txt (one ovs-ofctl flow per line, optional leading command word) and
 * writes test/fixtures/codec/flows.json: for every flow the FLOW_MOD bytes OVS encodes and the text
 * OVS prints for them. Adds come from `ovs-ofctl -O OpenFlow13 -mmmmm parse-flow`. parse-flow only
 * knows "add", so modify/delete flow-mods are captured off the wire: `ovs-ofctl mod-flows|del-flows
 * [--strict]` is pointed at a tiny fake switch below, and the text comes from `ovs-ofctl ofp-print`.
 * A flow OVS rejects, or bytes OVS itself cannot decode (`***` in its output), stops the script:
 * that is a corpus bug, fix the corpus.
 *
 * It also writes test/fixtures/codec/dump-flows.json: the add flows are installed in a throwaway
 * Open vSwitch (private ovsdb-server + ovs-vswitchd with a dummy datapath, under a temp dir, both
 * stopped at the end), then `ovs-ofctl -O OpenFlow13 dump-flows` runs through a recording proxy:
 * the OFPST_FLOW reply bytes it received and the lines it printed, with and without --no-stats.
 * Flows that bridge refuses (e.g. tun_metadata without a TLV map) are simply not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Command = 'add' | 'modify' | 'modify_strict' | 'delete' | 'delete_strict';

export interface CodecFixture {
  /** Flow text as given to ovs-ofctl (without the command word). */
  readonly input: string;
  readonly command: Command;
  /** The whole OFPT_FLOW_MOD message OVS encoded, lowercase hex. */
  readonly hex: string;
  /** What OVS prints for that message after "OFPT_FLOW_MOD (OF1.3) (xid=0x..): ". */
  readonly text: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'scripts/codec-corpus.txt');
const OUT = join(ROOT, 'test/fixtures/codec/flows.json');
const DUMP_OUT = join(ROOT, 'test/fixtures/codec/dump-flows.json');
const SCHEMA = process.env.OVS_SCHEMA ?? '/usr/share/openvswitch/vswitch.ovsschema';
const COMMANDS: readonly Command[] = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'];
const HEX_LINE = /^[0-9a-f]{8} {2}(.{47})/;
const TEXT_PREFIX = /^OFPT_FLOW_MOD \(OF1\.3\) \(xid=0x[0-9a-f]+\): /;

function ovs(args: string[]): string {
  const res = spawnSync('ovs-ofctl', args, { encoding: 'utf8' });
  if (res.error) throw new Error(`cannot run ovs-ofctl: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`ovs-ofctl ${args.join(' ')} failed: ${res.stderr.trim()}`);
  return res.stdout;
}

/** The flow-mod text of ovs-ofctl output, refusing anything OVS could not decode itself. */
function flowModText(out: string, what: string): string {
  const line = out.split('\n').find((l) => TEXT_PREFIX.test(l));
  if (!line) throw new Error(`${what}: no OFPT_FLOW_MOD in ovs-ofctl output:\n${out}`);
  if (out.includes('***')) throw new Error(`${what}: OVS cannot decode its own encoding:\n${out}`);
  return line.replace(TEXT_PREFIX, '');
}

function addFixture(input: string): CodecFixture {
  const out = ovs(['-O', 'OpenFlow13', '-mmmmm', 'parse-flow', input]);
  let hex = '';
  for (const l of out.split('\n')) {
    const m = HEX_LINE.exec(l);
    if (m) hex += m[1].replace(/[ -]/g, '');
  }
  return { input, command: 'add', hex, text: flowModText(out, input) };
}

/**
 * A fake OpenFlow 1.3 switch: says hello, answers echo and barrier requests, refuses multipart
 * requests (ovs-ofctl asks for table names first and goes on without them), and hands every
 * FLOW_MOD it receives to `onFlowMod`. Enough for `ovs-ofctl mod-flows/del-flows tcp:...`.
 */
function fakeSwitch(onFlowMod: (msg: Buffer) => void): Promise<Server> {
  const server = createServer((sock: Socket) => {
    sock.write(Buffer.from('0400000800000000', 'hex')); // OFPT_HELLO, OF1.3
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
        const len = pending.readUInt16BE(2);
        const msg = pending.subarray(0, len);
        pending = pending.subarray(len);
        const type = msg[1];
        const reply = (t: number, body = Buffer.alloc(0)): void => {
          const h = Buffer.alloc(8);
          h.writeUInt8(4, 0);
          h.writeUInt8(t, 1);
          h.writeUInt16BE(8 + body.length, 2);
          msg.copy(h, 4, 4, 8); // same xid
          sock.write(Buffer.concat([h, body]));
        };
        if (type === 14) onFlowMod(Buffer.from(msg));
        else if (type === 2) reply(3, msg.subarray(8)); // echo
        else if (type === 20) reply(21); // barrier
        else if (type === 18) reply(1, Buffer.concat([Buffer.from([0, 1, 0, 2]), msg])); // OFPBRC_BAD_MULTIPART
      }
    });
    sock.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** ovs-ofctl run asynchronously, for when this process itself is the other end of the connection. */
function runAsync(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ovs-ofctl', args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ovs-ofctl ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Splits a recorded byte stream into OpenFlow messages. */
function splitMessages(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= stream.length; ) {
    const len = stream.readUInt16BE(at + 2);
    if (len < 8 || at + len > stream.length) break;
    out.push(stream.subarray(at, at + len));
    at += len;
  }
  return out;
}

interface OvsSandbox {
  /** ovs-ofctl target of the bridge's management socket. */
  readonly mgmt: string;
  stop(): void;
}

/** A private ovsdb-server + ovs-vswitchd (dummy datapath) with bridge br0, all under a temp dir. */
function startOvs(): OvsSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-ovs-'));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir };
  const run = (cmd: string, args: string[]): void => {
    const res = spawnSync(cmd, args, { env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.error?.message ?? res.stderr}`);
  };
  const db = `--db=unix:${dir}/db.sock`;
  const pidfiles = [`${dir}/ovs-vswitchd.pid`, `${dir}/ovsdb-server.pid`];
  const stop = (): void => {
    for (const pidfile of pidfiles) {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // not started, or already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('ovsdb-tool', ['create', `${dir}/conf.db`, SCHEMA]);
    run('ovsdb-server', [`--remote=punix:${dir}/db.sock`, `--pidfile=${pidfiles[1]}`, '--detach', `--log-file=${dir}/ovsdb.log`, `${dir}/conf.db`]);
    run('ovs-vsctl', [db, '--no-wait', 'init']);
    run('ovs-vswitchd', ['--enable-dummy=override', `--pidfile=${pidfiles[0]}`, '--detach', `--log-file=${dir}/vswitchd.log`, `unix:${dir}/db.sock`]);
    // fail_mode=secure: no default NORMAL flow, the dump holds only what we installed.
    run('ovs-vsctl', [db, 'add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=dummy', 'protocols=OpenFlow13', 'fail_mode=secure']);
  } catch (e) {
    stop();
    throw e;
  }
  return { mgmt: `unix:${dir}/br0.mgmt`, stop };
}

/** A TCP front for a unix OpenFlow socket that records everything the switch sends back. */
function recordingProxy(unixPath: string, received: Buffer[]): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(unixPath);
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => {
      received.push(d);
      client.write(d);
    });
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export interface DumpFlowsFixture {
  /** Every OFPST_FLOW reply message (OF1.3) the bridge sent, hex. */
  readonly replies: string[];
  /** The lines `dump-flows` printed for those replies. */
  readonly stats: string[];
  /** The lines `dump-flows --no-stats` printed for the same flows. */
  readonly noStats: string[];
}

async function dumpFlowsFixture(adds: readonly CodecFixture[]): Promise<DumpFlowsFixture> {
  const ovsd = startOvs();
  try {
    for (const { input } of adds) {
      spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flow', ovsd.mgmt, input]); // refused flows are skipped
    }
    const received: Buffer[] = [];
    const proxy = await recordingProxy(ovsd.mgmt.slice('unix:'.length), received);
    const target = `tcp:127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const flowLines = (out: string): string[] => out.split('\n').filter((l) => l.startsWith(' '));
    try {
      const stats = flowLines(await runAsync(['-O', 'OpenFlow13', '--no-names', 'dump-flows', target]));
      const replies = splitMessages(Buffer.concat(received))
        .filter((m) => m[1] === 19 && m.readUInt16BE(8) === 1)
        .map((m) => m.toString('hex'));
      const noStats = flowLines(await runAsync(['-O', 'OpenFlow13', '--no-names', '--no-stats', 'dump-flows', target]));
      if (stats.length < 100 || noStats.length !== stats.length) throw new Error(`unexpected dump: ${stats.length}/${noStats.length} lines`);
      return { replies, stats, noStats };
    } finally {
      proxy.close();
    }
  } finally {
    ovsd.stop();
  }
}

async function wireFixture(server: Server, captured: Buffer[], command: Command, input: string): Promise<CodecFixture> {
  const target = `tcp:127.0.0.1:${(server.address() as AddressInfo).port}`;
  const verb = command.startsWith('delete') ? 'del-flows' : 'mod-flows';
  const strict = command.endsWith('_strict') ? ['--strict'] : [];
  captured.length = 0;
  await runAsync(['-O', 'OpenFlow13', '--no-names', ...strict, verb, target, input]);
  if (captured.length !== 1) throw new Error(`${command} ${input}: expected 1 FLOW_MOD, got ${captured.length}`);
  const hex = captured[0].toString('hex');
  const text = flowModText(ovs(['ofp-print', hex]), `${command} ${input}`);
  return { input, command, hex, text };
}

function readCorpus(): Array<{ command: Command; input: string }> {
  const seen = new Set<string>();
  const lines: Array<{ command: Command; input: string }> = [];
  for (const raw of readFileSync(CORPUS, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (seen.has(line)) throw new Error(`duplicate corpus line: ${line}`);
    seen.add(line);
    const word = line.split(/\s+/, 1)[0] as Command;
    if (COMMANDS.includes(word)) lines.push({ command: word, input: line.slice(word.length).trim() });
    else lines.push({ command: 'add', input: line });
  }
  return lines;
}

async function main(): Promise<void> {
  const captured: Buffer[] = [];
  const server = await fakeSwitch((m) => captured.push(m));
  const fixtures: CodecFixture[] = [];
  try {
    for (const { command, input } of readCorpus()) {
      fixtures.push(command === 'add' ? addFixture(input) : await wireFixture(server, captured, command, input));
    }
  } finally {
    server.close();
  }
  const version = ovs(['--version']).split('\n')[0];
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ generatedBy: `${version} via scripts/gen-codec-fixtures.ts`, fixtures }, null, 1) + '\n');
  console.log(`wrote ${fixtures.length} fixtures to ${OUT}`);
  const dump = await dumpFlowsFixture(fixtures.filter((f) => f.command === 'add'));
  writeFileSync(DUMP_OUT, JSON.stringify({ generatedBy: `${version} via scripts/gen-codec-fixtures.ts`, ...dump }, null, 1) + '\n');
  console.log(`wrote ${dump.stats.length} dumped flows to ${DUMP_OUT}`);
}

await main();

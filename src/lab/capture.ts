import { spawn } from 'node:child_process';

export interface CaptureOptions {
  netns: string;
  iface: string;
  /** tcpdump filter expression, e.g. 'udp port 4789'. */
  filter?: string;
  /** Stop after this many packets. */
  count?: number;
  /** Stop after this long at the latest (default 5 s). */
  durationMs?: number;
}

/** One packet line of `tcpdump -e -n -tt -l`, split into its link-layer part and the rest. */
export interface CapturedPacket {
  time: number;
  ethSrc: string;
  ethDst: string;
  /** e.g. 'IPv4', '802.1Q', 'ARP' */
  ethertype: string;
  length: number;
  /** Everything after "length N: ", e.g. '10.0.0.11 > 10.0.0.12: ICMP echo request, ...' */
  summary: string;
  raw: string;
  /** Lines tcpdump prints under the packet: the inner frame of a VXLAN packet, for one. */
  inner: string[];
}

const LINE_RE = /^(\d+\.\d+) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), ethertype (\S+) \(0x[0-9a-f]+\), length (\d+): (.*)$/;

export function parseTcpdumpLine(line: string): CapturedPacket | undefined {
  const m = LINE_RE.exec(line.trim());
  if (!m) return undefined;
  return { time: Number(m[1]), ethSrc: m[2], ethDst: m[3], ethertype: m[4], length: Number(m[5]), summary: m[6], raw: line, inner: [] };
}

/** All packets of a tcpdump output; a line that is not a packet belongs to the packet above it. */
export function parseTcpdumpOutput(text: string): CapturedPacket[] {
  const packets: CapturedPacket[] = [];
  for (const line of text.split('\n')) {
    const p = parseTcpdumpLine(line);
    if (p) packets.push(p);
    else if (line.trim() && packets.length) packets[packets.length - 1].inner.push(line.trim());
  }
  return packets;
}

/** A running tcpdump; `done` resolves with the packets once count is reached or the duration is over. */
export interface Capture {
  done: Promise<CapturedPacket[]>;
  /** Ends the capture early (still resolves `done` with what was captured). */
  stop(): void;
}

// tcpdump drops packets sent right after it starts, even after "listening on" (notes gotcha 15).
const SETTLE_MS = 1000;

/** Starts tcpdump inside a netns and resolves once it is really capturing. */
export function startCapture(o: CaptureOptions): Promise<Capture> {
  // --immediate-mode: packets reach us as they arrive, so stopping right after the traffic loses none.
  const args = ['netns', 'exec', o.netns, 'tcpdump', '-i', o.iface, '-e', '-n', '-tt', '-l', '-U', '--immediate-mode'];
  if (o.count !== undefined) args.push('-c', String(o.count));
  if (o.filter) args.push(...o.filter.split(/\s+/));
  const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  const timer = setTimeout(stop, o.durationMs ?? 5000);
  const done = new Promise<CapturedPacket[]>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`cannot run tcpdump: ${err.message}`)));
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      if (code !== 0 && sig !== 'SIGINT' && code !== null) {
        reject(new Error(`tcpdump in ${o.netns} on ${o.iface} exited with ${code}: ${stderr.trim()}`));
        return;
      }
      resolve(parseTcpdumpOutput(stdout));
    });
  });
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const wasListening = stderr.includes('listening on');
      stderr += d;
      if (!wasListening && stderr.includes('listening on')) setTimeout(() => resolve({ done, stop }), SETTLE_MS);
    });
    // An early end is fine once it listened (count reached already); before that it is an error.
    done.then(
      () =>
        stderr.includes('listening on')
          ? resolve({ done, stop })
          : reject(new Error(`tcpdump in ${o.netns} on ${o.iface} ended before listening: ${stderr.trim()}`)),
      reject,
    );
  });
}

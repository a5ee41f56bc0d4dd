import type { LabVm } from '../../src/lab/index.js';

// Tiny TCP echo server / client run with the test's own node inside VM namespaces (no nc needed).
const SERVER = `
const net = require('node:net');
net.createServer((s) => s.pipe(s)).listen(Number(process.argv[1]), '0.0.0.0', () => console.log('ready'));
`;
const CLIENT = `
const net = require('node:net');
const [host, port, size] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const payload = Buffer.alloc(size, 'x');
let got = 0;
const s = net.connect(port, host, () => s.end(payload));
s.setTimeout(5000, () => { console.error('timeout after ' + got + ' bytes'); process.exit(2); });
s.on('data', (d) => { got += d.length; });
s.on('end', () => { console.log(got); process.exit(got === size ? 0 : 1); });
s.on('error', (e) => { console.error(e.message); process.exit(3); });
`;

/** Starts an echo server in the VM; resolves with its pid once it listens. The lab kills it on cleanup. */
export async function startEchoServer(vm: LabVm, port: number): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn('ip', ['netns', 'exec', vm.netns, process.execPath, '-e', SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.unref();
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`echo server in ${vm.name} exited with ${code}`)));
  });
  child.stdout.destroy();
  return child.pid!;
}

/** Sends `size` bytes to host:port from the VM and returns how many came back. */
export async function echoRoundTrip(vm: LabVm, host: string, port: number, size: number): Promise<number> {
  const r = await vm.run([process.execPath, '-e', CLIENT, host, String(port), String(size)], { allowFailure: true, timeoutMs: 15_000 });
  return Number(r.stdout.trim() || '0');
}

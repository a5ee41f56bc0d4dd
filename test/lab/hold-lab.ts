// Child process for lab-cleanup.test.ts: starts a one-host lab with a VM running a long command,
// prints {"id", "sleeperPid"} and waits to be signalled.
import { spawn } from 'node:child_process';
import { Lab } from '../../src/lab/index.js';

const lab = await Lab.start({ name: process.argv[2] ?? 'hold', hosts: ['h1'] });
const vm = await lab.addVm('h1', { name: 'vm1', mac: 'fa:16:3e:00:00:11', ip: '10.0.0.11/24' });
const sleeper = spawn('ip', ['netns', 'exec', vm.netns, 'sleep', '600'], { detached: true, stdio: 'ignore' });
sleeper.unref();
console.log(JSON.stringify({ id: lab.id, sleeperPid: sleeper.pid }));
setInterval(() => undefined, 1000);

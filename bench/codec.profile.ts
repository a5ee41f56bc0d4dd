/**
 * Runs only the FlowMod encode or decode loop of bench/codec.bench.ts, for a CPU profile:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/codec.profile.ts encode|tobuffer|decode [seconds]
 *
 * then open the .cpuprofile in Chrome DevTools (or summarise self time per function).
 */
import { Writer } from '../src/openflow/bytes.js';
import { decodeMessage, encodeMessage, encodeMessageToBuffer } from '../src/openflow/messages/index.js';
import { ovsFlowMods } from '../test/support/ovs-samples.js';

const BENCH_FLOW =
  'table=0,priority=100,ip,in_port=5,nw_src=10.1.2.3,nw_dst=172.16.3.4,' +
  'actions=set_field:fa:16:3e:11:22:33->eth_dst,push_vlan:0x8100,output:7';

const mode = process.argv[2] ?? 'encode';
const seconds = Number(process.argv[3] ?? 5);
const bytes = ovsFlowMods([BENCH_FLOW])[0].bytes;
const msg = decodeMessage(bytes);
const w = new Writer(1 << 20);
let n = 0;
let sink = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  for (let i = 0; i < 1000; i++) {
    if (mode === 'decode') sink += decodeMessage(bytes).xid;
    else if (mode === 'tobuffer') sink += encodeMessageToBuffer(msg).length;
    else {
      if (w.pos > 1 << 19) w.reset();
      encodeMessage(w, msg);
    }
  }
  n += 1000;
}
console.log(`${mode}: ${n} in ${seconds} s (${sink + w.pos > 0 ? 'ok' : ''})`);

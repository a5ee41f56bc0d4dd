import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_FLOWS, CORPUS_GROUPS } from './corpus-text.js';
import { messagesFromHexDump, type Sample } from './ovs-samples.js';
import { ovsOfctlRequests } from './ofctl-capture.js';
import { OvsSandbox } from './ovs-sandbox.js';

/**
 * Messages a real Open vSwitch 3.1 switch sends to a controller: a throwaway ovsdb-server +
 * ovs-vswitchd with the dummy datapath in a temp dir (OvsSandbox, as OVS's own test suite does),
 * asked by `ovs-ofctl -mmmmm`, which prints the switch's replies in hex. These are the bytes a
 * controller decodes from an untrusted peer, so they are the most important fuzz seeds.
 */
function startSwitch(): OvsSandbox {
  const sw = OvsSandbox.startSync({ disableSystem: true });
  try {
    sw.vsctl(
      'add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath-type=dummy', 'fail-mode=secure', 'protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15',
      '--', 'add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=1',
      '--', 'add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy', 'ofport_request=2',
    );
    return sw;
  } catch (e) {
    sw.stopSync();
    throw e;
  }
}

/** `ovs-ofctl -O version -mmmmm cmd br0 args...`; an error reply from the switch is output, not a failure. */
function ofctl(sw: OvsSandbox, version: string, cmd: string, ...args: string[]): string {
  return sw.output('ovs-ofctl', '-O', version, '-mmmmm', cmd, sw.mgmt('br0'), ...args);
}

const PACKET = 'in_port(1),eth(src=fa:16:3e:00:00:01,dst=fa:16:3e:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1234,dst=80)';

/** Async messages (PACKET_IN in 3 formats, PORT_STATUS, FLOW_REMOVED) caught by `ovs-ofctl monitor` sessions. */
function asyncMessages(sw: OvsSandbox): string {
  ofctl(sw, 'OpenFlow13', 'add-flow', 'table=0,priority=1000,in_port=1,actions=controller(max_len=128),output:2');
  ofctl(sw, 'OpenFlow13', 'add-flow', 'table=0,priority=1000,in_port=2,idle_timeout=60,send_flow_rem,actions=drop');
  const monitors = [
    ['OpenFlow13', '-P', 'standard'],
    ['OpenFlow13', '-P', 'nxt_packet_in2'],
    ['OpenFlow15', '-P', 'standard'],
  ];
  const out = (i: number): string => join(sw.dir, `monitor${i}.txt`);
  const start = monitors.map((m, i) => `ovs-ofctl -O ${m.join(' ')} -mmmmm monitor ${sw.mgmt('br0')} 65534 > ${out(i)} 2>&1 & PIDS="$PIDS $!"`).join('\n');
  const allHave = (what: string): string => monitors.map((_, i) => `grep -q ${what} ${out(i)}`).join(' && ');
  sw.shell(`
    ${start}
    # Inject until every monitor has seen a packet-in (they connect asynchronously).
    for i in $(seq 1 50); do
      ovs-appctl -t ${sw.unixctl('ovs-vswitchd')} netdev-dummy/receive p1 '${PACKET}'
      sleep 0.1
      if ${allHave('PACKET_IN')}; then break; fi
    done
    ovs-vsctl --db=${sw.db} add-port br0 p3 -- set interface p3 type=dummy ofport_request=3
    ovs-ofctl -O OpenFlow13 del-flows ${sw.mgmt('br0')} in_port=2
    for i in $(seq 1 50); do
      if ${allHave('FLOW_REMOVED')} && ${allHave('PORT_STATUS')}; then break; fi
      sleep 0.1
    done
    kill $PIDS; wait
  `);
  return monitors.map((_, i) => readFileSync(out(i), 'utf8')).join('\n');
}

/**
 * Replies, stats, errors and async messages from a real OVS switch in OF1.3, 1.4 and 1.5, then the
 * requests ovs-ofctl sends it (ofctl-capture.ts).
 */
export function ovsSwitchMessages(): Sample[] {
  const sw = startSwitch();
  try {
    const flowsFile = join(sw.dir, 'flows.txt');
    writeFileSync(flowsFile, CORPUS_FLOWS.filter((f) => !f.includes('meter:')).join('\n') + '\n');
    ofctl(sw, 'OpenFlow13', 'add-meter', 'meter=3,kbps,band=type=drop,rate=1000');
    for (const g of CORPUS_GROUPS) ofctl(sw, 'OpenFlow13', 'add-group', g);
    ofctl(sw, 'OpenFlow13', 'add-group', 'group_id=5,type=all,bucket=actions=output:1');
    ofctl(sw, 'OpenFlow13', 'add-group', 'group_id=7,type=indirect,bucket=actions=output:2');
    ofctl(sw, 'OpenFlow13', 'add-flows', flowsFile);
    const samples: Sample[] = [];
    const take = (name: string, text: string): void => {
      messagesFromHexDump(text, true).forEach((bytes, i) => samples.push({ name: `switch ${name} #${i}`, bytes }));
    };
    for (const v of ['OpenFlow13', 'OpenFlow14', 'OpenFlow15']) {
      for (const cmd of ['show', 'dump-flows', 'dump-aggregate', 'dump-tables', 'dump-ports', 'dump-desc', 'dump-groups', 'dump-group-stats', 'dump-group-features', 'dump-meters', 'meter-stats', 'meter-features', 'get-frags', 'queue-get-config']) {
        take(`${v} ${cmd}`, ofctl(sw, v, cmd));
      }
      take(`${v} error`, ofctl(sw, v, 'add-flow', 'table=0,priority=5,actions=meter:99,output:1'));
    }
    take('OpenFlow14 dump-table-desc', ofctl(sw, 'OpenFlow14', 'dump-table-desc'));
    take('async', asyncMessages(sw));
    return [...samples, ...ovsOfctlRequests(sw)];
  } finally {
    sw.stopSync();
  }
}

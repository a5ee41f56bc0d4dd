import { App, IntTable as T } from '../../../src/config/pipeline.js';
import type { DesiredFlow } from '../../../src/reconciler/desired-flow.js';
import type { TopologySnapshot } from '../../../src/topology/model.js';
import { hostCookie, ownerCookie } from '../../../src/apps/cookies.js';
import { flow } from '../../../src/apps/flow-text.js';
import { hostNetworks } from './network-view.js';

/** Text form of src/apps/port-security.ts (anti-spoofing in tables 24 then 25), with its own claim rules. */
export function portSecurityFlows(snap: TopologySnapshot, host: string): DesiredFlow[] {
  const h = hostCookie(App.PORT_SECURITY);
  const flows = [
    flow(h, `table=${T.ARP_SPOOF},priority=10,udp,nw_src=0.0.0.0,tp_src=68,tp_dst=67,actions=goto_table:${T.MAC_SPOOF}`),
    flow(h, `table=${T.ARP_SPOOF},priority=10,icmp6,ipv6_src=::,actions=goto_table:${T.MAC_SPOOF}`),
    flow(h, `table=${T.ARP_SPOOF},priority=0,actions=drop`),
    flow(h, `table=${T.MAC_SPOOF},priority=0,actions=drop`),
  ];
  for (const net of hostNetworks(snap, host)) {
    for (const { port, ofport } of net.localPorts) {
      if (!port.portSecurity) continue;
      const c = ownerCookie(App.PORT_SECURITY, port.id);
      const own = port.mac.toLowerCase();
      const macs = [own];
      const v4: string[][] = [];
      const v6: string[][] = [];
      const add = (mac: string, ip: string): void => {
        const list = ip.includes(':') ? v6 : v4;
        if (!list.some(([m, i]) => m === mac && i === ip)) list.push([mac, ip]);
      };
      for (const ip of port.fixedIps) add(own, ip);
      for (const p of port.allowedAddressPairs) {
        const mac = (p.macAddress ?? own).toLowerCase();
        if (!macs.includes(mac)) macs.push(mac);
        add(mac, p.ipAddress);
      }
      for (const mac of macs) add(mac, eui64LinkLocal(mac));
      const to = (next: number): string => `actions=goto_table:${next}`;
      const A = `table=${T.ARP_SPOOF},priority=10`;
      for (const [mac, ip] of v4) {
        flows.push(flow(c, `${A},arp,in_port=${ofport},arp_spa=${ip},arp_sha=${mac},${to(T.MAC_SPOOF)}`));
        flows.push(flow(c, `${A},ip,in_port=${ofport},dl_src=${mac},nw_src=${ip},${to(T.MAC_SPOOF)}`));
      }
      for (const [mac, ip] of v6) flows.push(flow(c, `${A},ipv6,in_port=${ofport},dl_src=${mac},ipv6_src=${ip},${to(T.MAC_SPOOF)}`));
      for (const mac of macs) flows.push(flow(c, `table=${T.MAC_SPOOF},priority=10,in_port=${ofport},dl_src=${mac},${to(T.TRANSIENT)}`));
    }
  }
  return flows;
}

function eui64LinkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 2;
  const words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
}

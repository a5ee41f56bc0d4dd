import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNetns, type CommandResult } from './command.js';

/** What ISC dhclient handed its script for the last lease (its `new_*` variables). */
export interface SeenLease {
  reason: string;
  ip: string;
  subnetMask: string;
  routers: string[];
  dnsServers: string[];
  mtu?: number;
  leaseSeconds?: number;
  serverId?: string;
  hostname?: string;
  domainName?: string;
  /** RFC 3442 option 121 as dhclient hands it over: its octets in decimal, space-separated. */
  classlessRoutes?: string;
}

export interface DhclientResult {
  /** dhclient's exit: 0 once bound (it then forks away to renew), 2 when no lease came in time. */
  result: CommandResult;
  /** The lease of the last bound/renewed event, when there was one. */
  lease?: SeenLease;
}

// Declares option 121 (dhclient only asks for options it knows) and keeps one short attempt per call.
const CONFIG = `option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, routers, domain-name-servers, domain-name, host-name,
  interface-mtu, rfc3442-classless-static-routes, dhcp-lease-time, dhcp-server-identifier;
timeout TIMEOUT;
retry 1;
`;

// Instead of dhclient-script, which would rewrite the shared /etc/resolv.conf: configure eth0 inside the
// namespace and record the variables.
const SCRIPT = `#!/bin/sh
env | grep -E '^(reason|new_[a-z0-9_]+)=' | sort > "EVENTS.$$"
echo "--" >> "EVENTS.$$"
cat "EVENTS.$$" >> "EVENTS"; rm -f "EVENTS.$$"
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    ip addr flush dev "$interface"
    ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface"
    [ -n "$new_interface_mtu" ] && ip link set "$interface" mtu "$new_interface_mtu"
    for r in $new_routers; do ip route replace default via "$r" dev "$interface"; break; done
    ;;
  EXPIRE|FAIL|RELEASE|STOP)
    ip addr flush dev "$interface"
    ;;
esac
exit 0
`;

/** Runs ISC dhclient in a lab namespace with its files in `dir` (nothing outside the namespace changes). */
export class Dhclient {
  private readonly files: { conf: string; script: string; lease: string; pid: string; events: string };

  constructor(
    private readonly netns: string,
    dir: string,
    timeoutS = 8,
  ) {
    mkdirSync(dir, { recursive: true });
    this.files = { conf: join(dir, 'dhclient.conf'), script: join(dir, 'dhclient-script'), lease: join(dir, 'leases'), pid: join(dir, 'pid'), events: join(dir, 'events') };
    writeFileSync(this.files.conf, CONFIG.replace('TIMEOUT', String(timeoutS)));
    writeFileSync(this.files.script, SCRIPT.replaceAll('EVENTS', this.files.events), { mode: 0o755 });
  }

  /**
   * One attempt to obtain a lease on eth0 (with a lease already in the lease file: INIT-REBOOT, a REQUEST
   * for it). A dhclient still running from an earlier call is stopped first: a second one would refuse
   * to start beside it.
   */
  async obtain(): Promise<DhclientResult> {
    this.stop();
    const result = await runInNetns(this.netns, ['dhclient', '-1', '-v', ...this.common(), 'eth0'], { allowFailure: true, timeoutMs: 60_000 });
    return { result, lease: this.lastLease() };
  }

  /** Releases the lease (DHCPRELEASE) and stops the dhclient that kept running to renew it. */
  async release(): Promise<CommandResult> {
    return runInNetns(this.netns, ['dhclient', '-r', '-v', ...this.common(), 'eth0'], { allowFailure: true, timeoutMs: 30_000 });
  }

  /** Stops the dhclient that stayed in the background to renew (SIGTERM: no DHCPRELEASE). */
  stop(): void {
    let pid = NaN;
    try {
      pid = Number(readFileSync(this.files.pid, 'utf8').trim());
    } catch {
      return;
    }
    try {
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(this.files.pid, { force: true });
  }

  /** Every event dhclient reported to its script, oldest first. */
  events(): Array<Record<string, string>> {
    let text = '';
    try {
      text = readFileSync(this.files.events, 'utf8');
    } catch {
      return [];
    }
    return text.split('--\n').filter((b) => b.trim()).map((block) =>
      Object.fromEntries(block.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])));
  }

  private lastLease(): SeenLease | undefined {
    const e = [...this.events()].reverse().find((v) => ['BOUND', 'RENEW', 'REBIND', 'REBOOT'].includes(v.reason));
    if (!e) return undefined;
    const num = (k: string): number | undefined => (e[k] === undefined ? undefined : Number(e[k]));
    const list = (k: string): string[] => (e[k] ?? '').split(' ').filter(Boolean);
    return {
      reason: e.reason,
      ip: e.new_ip_address,
      subnetMask: e.new_subnet_mask,
      routers: list('new_routers'),
      dnsServers: list('new_domain_name_servers'),
      ...(num('new_interface_mtu') !== undefined ? { mtu: num('new_interface_mtu') } : {}),
      ...(num('new_dhcp_lease_time') !== undefined ? { leaseSeconds: num('new_dhcp_lease_time') } : {}),
      ...(e.new_dhcp_server_identifier ? { serverId: e.new_dhcp_server_identifier } : {}),
      ...(e.new_host_name ? { hostname: e.new_host_name } : {}),
      ...(e.new_domain_name ? { domainName: e.new_domain_name } : {}),
      ...(e.new_rfc3442_classless_static_routes ? { classlessRoutes: e.new_rfc3442_classless_static_routes } : {}),
    };
  }

  private common(): string[] {
    return ['-cf', this.files.conf, '-lf', this.files.lease, '-pf', this.files.pid, '-sf', this.files.script];
  }
}

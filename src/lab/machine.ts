import { runInNetns, type CommandResult, type RunOptions } from './command.js';

/** Anything that is just a network namespace with an eth0: a VM, or a machine on the external network. */
export class NetnsMachine {
  constructor(
    readonly name: string,
    readonly netns: string,
    readonly mac: string,
    /** Address with prefix length, e.g. 10.0.0.11/24 ('' until DHCP gave one: LabVm.dhcp()). */
    public cidr: string,
  ) {}

  /** The address without prefix length. */
  get ip(): string {
    return this.cidr.split('/')[0];
  }

  /** Runs argv inside the namespace (throws on a non-zero exit), resolving with stdout. */
  async exec(...argv: string[]): Promise<string> {
    return (await this.run(argv)).stdout;
  }

  run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
    return runInNetns(this.netns, argv, opts);
  }

  /** True when at least one of `count` echo requests to ip is answered. */
  async ping(ip: string, opts: { count?: number; timeoutS?: number } = {}): Promise<boolean> {
    const r = await this.run(
      ['ping', '-n', '-c', String(opts.count ?? 3), '-i', '0.2', '-W', String(opts.timeoutS ?? 1), ip],
      { allowFailure: true },
    );
    return r.code === 0;
  }
}

export interface Eth0Options {
  mac: string;
  /** Absent: eth0 comes up without an address (a DHCP client configures it). */
  ip?: string;
  mtu: string;
  gateway?: string;
}

/** Configures eth0 (already moved into netns). */
export async function configureEth0(netns: string, o: Eth0Options): Promise<void> {
  const ip = (...args: string[]): Promise<CommandResult> => runInNetns(netns, ['ip', ...args]);
  await ip('link', 'set', 'eth0', 'address', o.mac, 'mtu', o.mtu, 'up');
  if (o.ip) await ip('addr', 'add', o.ip, 'dev', 'eth0');
  if (o.gateway) await ip('route', 'add', 'default', 'via', o.gateway);
  // veth hands OVS partial checksums that the userspace datapath never completes: TCP would die (gotcha 2).
  await runInNetns(netns, ['ethtool', '-K', 'eth0', 'tx', 'off']);
}

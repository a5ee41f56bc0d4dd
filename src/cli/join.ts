import { Command, Option } from 'commander';
import { joinHost, parseBridgeMappings, type JoinOptions } from '../host/index.js';

/** Options as commander hands them to the action. */
export interface JoinCliOptions {
  name: string;
  tunnelIp: string;
  controller: string;
  bridgeMapping: string[];
  db?: string;
  datapathType?: string;
  api: string;
  token?: string;
  register: boolean;
}

export interface JoinIo {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  exit(code: number): void;
}

const processIo: JoinIo = { out: process.stdout, err: process.stderr, exit: (code) => (process.exitCode = code) };

export const DEFAULT_API_URL = 'http://127.0.0.1:9696';
export const TOKEN_ENV = 'NEUTRINO_API_TOKEN';

/** `neutrino join ...`: the subcommand with its options, for main.ts. */
export function addJoinCommand(program: Command, io: JoinIo = processIo): Command {
  return program
    .command('join')
    .description('make this host ready for the controller (bridges, patch and tunnel ports, controller) and register it')
    .requiredOption('--name <host>', 'host name (dp-desc "<host> <bridge>" and API registration)')
    .requiredOption('--tunnel-ip <ip>', 'local VXLAN endpoint address')
    .requiredOption('--controller <target>', 'OpenFlow controller, e.g. tcp:192.0.2.1:6653')
    .option('--bridge-mapping <physnet:bridge>', 'provider bridge of a physical network (repeatable, or comma-separated)',
      (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--db <socket>', 'OVSDB socket, e.g. unix:/run/openvswitch/db.sock (default: ovs-vsctl\'s, honours OVS_RUNDIR)')
    .option('--datapath-type <type>', 'bridge datapath type, e.g. netdev for the userspace datapath (default: OVS\'s)')
    .option('--api <url>', 'controller API base URL', DEFAULT_API_URL)
    .addOption(new Option('--token <token>', 'API token (X-Auth-Token)').env(TOKEN_ENV))
    .option('--no-register', 'configure OVS only, do not register the host through the API')
    .action((opts: JoinCliOptions) => joinCommand(opts, io));
}

/** The action: prints one line per change; exit code 1 with a one-line reason on failure. */
export async function joinCommand(cli: JoinCliOptions, io: JoinIo = processIo): Promise<void> {
  try {
    const report = await joinHost(joinOptionsFromCli(cli));
    const lines = report.changes.length > 0 ? report.changes : ['OVS already configured, nothing changed'];
    for (const line of lines) io.out.write(`${line}\n`);
    io.out.write(`registration: ${report.registration}\n`);
    io.exit(0);
  } catch (err) {
    io.err.write(`neutrino join: ${err instanceof Error ? err.message : String(err)}\n`);
    io.exit(1);
  }
}

export function joinOptionsFromCli(cli: JoinCliOptions): JoinOptions {
  return {
    name: cli.name,
    tunnelIp: cli.tunnelIp,
    controller: cli.controller,
    bridgeMappings: parseBridgeMappings(cli.bridgeMapping),
    db: cli.db,
    datapathType: cli.datapathType,
    register: cli.register ? { apiUrl: cli.api, token: cli.token } : undefined,
  };
}

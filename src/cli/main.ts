#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { APP_NAMES, appId } from './flow-filter.js';
import { flowsCommand, type FlowsOptions } from './flows.js';
import { addJoinCommand } from './join.js';
import { ofpPrintCommand } from './ofp-print.js';
import { runCommand } from './run.js';

const program = new Command();
program
  .name('neutrino')
  .description('OpenFlow controller that programs Open vSwitch bridges for virtual networks')
  .version('0.1.0');

program
  .command('run')
  .description('run the controller (OpenFlow listener) with embedded defaults')
  .option('--of-address <addr>', 'OpenFlow listen address', '0.0.0.0')
  .option('--of-port <port>', 'OpenFlow listen port', (v) => parsePort(v), 6653)
  .option('--db <path>', 'SQLite store file (default $NEUTRINO_DB or ./neutrino.db)')
  .option('--api-host <addr>', 'API listen address (default $NEUTRINO_API_HOST or 127.0.0.1)')
  .option('--api-port <port>', 'API listen port (default $NEUTRINO_API_PORT or 9696)', (v) => parsePort(v))
  .option('--tokens <file>', 'API tokens JSON file (default $NEUTRINO_TOKENS; none: no-auth development mode)')
  .option('--audit-interval <seconds>', 'audit (dump, diff, repair) every bridge this often; 0 disables (default 60)', (v) => parseSeconds(v))
  .option('--dhcp-lease <seconds>', 'lease time native DHCP grants, 120 or more (default 86400)', (v) => parseLease(v))
  .option('--dhcp-domain <domain>', 'domain of the VMs\' DHCP names host-<ip>.<domain> (default openstacklocal; "" for none)', (v) => parseDomain(v))
  .action(runCommand);

program
  .command('ofp-print')
  .description('decode one OpenFlow message from hex and print it like `ovs-ofctl ofp-print`')
  .argument('<hex...>', 'message bytes in hex (spaces allowed)')
  .action((hex: string[]) => {
    process.exitCode = ofpPrintCommand(hex.join(''), process.stdout, process.stderr);
  });

program
  .command('flows')
  .description("print a bridge's desired and installed flows and their diff, in ovs-ofctl syntax, from a running controller")
  .argument('<host>', 'host name')
  .argument('<bridge>', 'bridge name, e.g. br-int')
  .option('--show <what>', 'desired | installed | diff | all', 'all')
  .option('--owner <id>', 'only the flows of this port or network id (their cookie names it), or "host" for the host defaults')
  .option('--app <name>', `only the flows of one app: ${APP_NAMES.join(', ')}`)
  .option('--api <url>', 'controller API', process.env.NEUTRINO_API ?? 'http://127.0.0.1:9696')
  .option('--token <token>', 'X-Auth-Token (default $NEUTRINO_TOKEN)', process.env.NEUTRINO_TOKEN)
  .action(async (host: string, bridge: string, opts: FlowsOptions) => {
    if (!['desired', 'installed', 'diff', 'all'].includes(opts.show)) program.error(`--show must be desired, installed, diff or all`);
    if (opts.app !== undefined && appId(opts.app) === undefined) program.error(`--app must be one of ${APP_NAMES.join(', ')}`);
    process.exitCode = await flowsCommand(host, bridge, opts, process.stdout, process.stderr);
  });

function parseSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return n;
}

/** Below 2 minutes clients would renew all the time (dnsmasq's floor too). */
function parseLease(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 120 || n > 0xfffffffe) throw new InvalidArgumentError('expected whole seconds, at least 120');
  return n;
}

const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^(?:${DNS_LABEL}(?:\\.${DNS_LABEL})*)?$`);

function parseDomain(v: string): string {
  if (!DOMAIN.test(v) || v.length > 253) throw new InvalidArgumentError('expected a DNS domain such as openstacklocal or cloud.example.org');
  return v;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port: ${v}`);
  return n;
}

addJoinCommand(program);

await program.parseAsync(process.argv);

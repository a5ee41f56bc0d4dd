#!/usr/bin/env node
import { Command } from 'commander';
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
  .action(runCommand);

program
  .command('ofp-print')
  .description('decode one OpenFlow message from hex and print it like `ovs-ofctl ofp-print`')
  .argument('<hex...>', 'message bytes in hex (spaces allowed)')
  .action((hex: string[]) => {
    process.exitCode = ofpPrintCommand(hex.join(''), process.stdout, process.stderr);
  });

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port: ${v}`);
  return n;
}

await program.parseAsync(process.argv);

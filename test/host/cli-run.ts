import { Command } from 'commander';
import { addJoinCommand } from '../../src/cli/join.js';

export interface CliOutcome {
  code: number | undefined;
  out: string;
  err: string;
}

/** Runs `neutrino join <args>` through the real commander definition, capturing output and exit code. */
export async function runJoinCli(args: readonly string[]): Promise<CliOutcome> {
  const outcome: CliOutcome = { code: undefined, out: '', err: '' };
  const program = new Command().exitOverride();
  addJoinCommand(program, {
    out: { write: (s: string) => (outcome.out += s) },
    err: { write: (s: string) => (outcome.err += s) },
    exit: (code) => (outcome.code = code),
  });
  await program.parseAsync(['join', ...args], { from: 'user' });
  return outcome;
}

import { readFileSync } from 'node:fs';
import type { AuthOptions, TokenGrant } from '../api/auth.js';
import { DEFAULT_API_HOST, DEFAULT_API_PORT } from '../api/server.js';
import { DEFAULT_DB_PATH, startController } from '../controller/index.js';
import { createLogger } from '../util/log.js';

/**
 * `neutrino run` options. main.ts passes the OpenFlow ones; the rest fall back to the environment
 * (NEUTRINO_DB, NEUTRINO_API_HOST, NEUTRINO_API_PORT, NEUTRINO_TOKENS) and then to embedded defaults.
 */
export interface RunOptions {
  ofAddress: string;
  ofPort: number;
  db?: string;
  apiHost?: string;
  apiPort?: number;
  /** JSON file {"<token>": {"project_id", "role"}}; without it the API runs without authentication. */
  tokens?: string;
  /** Seconds between audits of each bridge; 0 disables them. */
  auditInterval?: number;
  /** Native DHCP lease time in seconds, and the VMs' domain. */
  dhcpLease?: number;
  dhcpDomain?: string;
}

/** `neutrino run`: the controller process. Stops cleanly on SIGINT/SIGTERM. */
export async function runCommand(opts: RunOptions): Promise<void> {
  const log = createLogger();
  const env = process.env;
  const tokens = opts.tokens ?? env.NEUTRINO_TOKENS;
  const auth: AuthOptions = tokens
    ? { mode: 'token', tokens: JSON.parse(readFileSync(tokens, 'utf8')) as Record<string, TokenGrant> }
    : { mode: 'none' };
  if (auth.mode === 'none') log.warn('no API tokens configured (NEUTRINO_TOKENS): every API request is admin, keep the API on a trusted address');
  const controller = await startController(
    {
      dbPath: opts.db ?? env.NEUTRINO_DB ?? DEFAULT_DB_PATH,
      apiHost: opts.apiHost ?? env.NEUTRINO_API_HOST ?? DEFAULT_API_HOST,
      apiPort: opts.apiPort ?? portFromEnv(env.NEUTRINO_API_PORT) ?? DEFAULT_API_PORT,
      ofHost: opts.ofAddress,
      ofPort: opts.ofPort,
      auth,
      ...(opts.auditInterval === undefined ? {} : { auditIntervalMs: Math.round(opts.auditInterval * 1000) }),
      ...(opts.dhcpLease === undefined ? {} : { dhcpLeaseSeconds: opts.dhcpLease }),
      ...(opts.dhcpDomain === undefined ? {} : { dhcpDomain: opts.dhcpDomain }),
    },
    log,
  );
  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping');
    void controller.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function portFromEnv(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`NEUTRINO_API_PORT: invalid port ${v}`);
  return n;
}

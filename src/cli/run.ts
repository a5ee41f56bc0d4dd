import { OpenFlowServer } from '../switch/index.js';
import { createLogger } from '../util/log.js';

export interface RunOptions {
  ofAddress: string;
  ofPort: number;
}

/** `neutrino run`: the controller process. Stops cleanly on SIGINT/SIGTERM. */
export async function runCommand(opts: RunOptions): Promise<void> {
  const log = createLogger();
  const server = new OpenFlowServer(log, { host: opts.ofAddress, port: opts.ofPort });
  server.up$.subscribe((s) => s.log.info({ identity: s.identity?.key }, 'switch up'));
  server.down$.subscribe(({ session, reason }) => session.log.info({ reason }, 'switch down'));
  await server.listen();
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

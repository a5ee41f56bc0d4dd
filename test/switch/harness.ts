import { pino, type Logger } from 'pino';
import { firstValueFrom, filter } from 'rxjs';
import { OpenFlowServer, type ServerOptions } from '../../src/switch/server.js';
import type { SwitchSession } from '../../src/switch/session.js';

/** A pino logger whose JSON lines a test can read back. */
export function capturingLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void raw.push(s) });
  return { log, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export async function startServer(opts: ServerOptions = {}): Promise<{ server: OpenFlowServer; lines: () => Array<Record<string, unknown>> }> {
  const { log, lines } = capturingLogger();
  const server = new OpenFlowServer(log, { host: '127.0.0.1', port: 0, ...opts });
  await server.listen();
  return { server, lines };
}

export function nextUp(server: OpenFlowServer, key?: string): Promise<SwitchSession> {
  return firstValueFrom(server.up$.pipe(filter((s) => !key || s.identity?.key === key)));
}

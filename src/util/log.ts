import { pino, type Logger } from 'pino';

/** The process-wide root logger; components take a child (`log.child({ switch: dpid })`). */
export function createLogger(level = process.env.NEUTRINO_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'neutrino', level });
}

export type { Logger };

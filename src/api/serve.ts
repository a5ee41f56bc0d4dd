#!/usr/bin/env node
/**
 * Runs the store + northbound API as a process:
 *   tsx src/api/serve.ts --db /var/lib/neutrino/neutrino.db [--host 127.0.0.1] [--port 9696]
 *                        (--tokens tokens.json | --no-auth)
 * tokens.json: {"<token>": {"project_id": "demo", "role": "admin" | "member"}, ...}
 * Prints "listening <url>" on stdout once it accepts requests; SIGINT/SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openStore } from '../store/store.js';
import type { AuthOptions, TokenGrant } from './auth.js';
import { createApiServer, DEFAULT_API_HOST, DEFAULT_API_PORT } from './server.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'neutrino.db' },
    host: { type: 'string', default: DEFAULT_API_HOST },
    port: { type: 'string', default: String(DEFAULT_API_PORT) },
    tokens: { type: 'string' },
    'no-auth': { type: 'boolean', default: false },
  },
});

if (!values.tokens && !values['no-auth']) {
  process.stderr.write('give --tokens <file> (token → project and role) or --no-auth\n');
  process.exit(2);
}
const auth: AuthOptions = values.tokens
  ? { mode: 'token', tokens: JSON.parse(readFileSync(values.tokens, 'utf8')) as Record<string, TokenGrant> }
  : { mode: 'none' };

const store = openStore(values.db);
const server = await createApiServer({ store, auth, host: values.host, port: Number(values.port) });
const url = await server.listen();
process.stdout.write(`listening ${url}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => {
      store.close();
      process.exit(0);
    });
  });
}

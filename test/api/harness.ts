import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthOptions } from '../../src/api/auth.js';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../../src/api/server.js';
import { openStore, type Store, type StoreOptions } from '../../src/store/index.js';

export const ADMIN = 'admin-token';
export const ALICE = 'alice-token';
export const BOB = 'bob-token';

export const TOKENS: AuthOptions = {
  mode: 'token',
  tokens: {
    [ADMIN]: { project_id: 'admin', role: 'admin' },
    [ALICE]: { project_id: 'alice', role: 'member' },
    [BOB]: { project_id: 'bob', role: 'member' },
  },
};

/** Response bodies are checked field by field in the tests, so they are loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A real server on a free port over a real SQLite file in a temp dir; `call` speaks HTTP to it. */
export class TestApi {
  private constructor(
    readonly store: Store,
    readonly server: ApiServer,
    readonly url: string,
    readonly dir: string,
  ) {}

  static async start(
    opts: { store?: StoreOptions; auth?: AuthOptions } & Partial<Omit<ApiServerOptions, 'store' | 'auth'>> = {},
  ): Promise<TestApi> {
    const dir = mkdtempSync(join(tmpdir(), 'neutrino-api-'));
    const store = openStore(join(dir, 'neutrino.db'), opts.store);
    const { store: _s, auth, ...rest } = opts;
    const server = await createApiServer({ ...rest, store, auth: auth ?? TOKENS, port: 0 });
    return new TestApi(store, server, await server.listen(), dir);
  }

  async call<T = Json>(method: string, path: string, body?: unknown, token: string | null = ADMIN): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers['x-auth-token'] = token;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.url + path, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
  }

  /** POST that must succeed; returns the created resource. */
  async create(collection: string, key: string, attrs: Record<string, unknown>, token = ADMIN): Promise<Json> {
    const r = await this.call('POST', `/v2.0/${collection}`, { [key]: attrs }, token);
    if (r.status !== 201) throw new Error(`create ${key} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body[key];
  }

  /** Everything the admin can list, to prove a refused request changed nothing. */
  async snapshot(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const c of ['networks', 'subnets', 'ports', 'routers', 'floatingips', 'security-groups', 'security-group-rules']) {
      out[c] = (await this.call('GET', `/v2.0/${c}`)).body;
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.server.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Asserts a NeutronError answer and returns its message. */
export function neutronError(r: Reply, status: number): string {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  if (!r.headers.get('content-type')?.startsWith('application/json')) throw new Error('error is not JSON');
  const err = r.body.NeutronError;
  if (!err || typeof err.type !== 'string' || typeof err.message !== 'string' || typeof err.detail !== 'string') {
    throw new Error(`not a NeutronError body: ${JSON.stringify(r.body)}`);
  }
  return err.message as string;
}

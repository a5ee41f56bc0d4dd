import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../store/types.js';
import { sendNeutronError } from './errors.js';

export interface TokenGrant {
  project_id: string;
  role: 'admin' | 'member';
}

/**
 * `token`: each `X-Auth-Token` maps to a project and a role; anything else is 401.
 * `none`: no check at all, every request is admin in `projectId` (or the `X-Project-Id` header) — for labs only.
 */
export type AuthOptions = { mode: 'none'; projectId?: string } | { mode: 'token'; tokens: Record<string, TokenGrant> };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Paths answered without a token: version discovery, health and metrics. */
const OPEN_PATHS = new Set(['/', '/v1/health', '/v1/metrics', '/v1/openapi.json']);

export function installAuth(app: FastifyInstance, auth: AuthOptions): void {
  app.decorateRequest('caller', null as unknown as Caller);
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    const caller = OPEN_PATHS.has(path) ? undefined : resolveCaller(request, auth);
    if (caller) request.caller = caller;
    if (caller || OPEN_PATHS.has(path)) return done();
    sendNeutronError(reply, 401, 'HTTPUnauthorized', 'Authentication required');
  });
}

function resolveCaller(request: FastifyRequest, auth: AuthOptions): Caller | undefined {
  const header = (name: string): string | undefined => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (auth.mode === 'none') return { projectId: header('x-project-id') ?? auth.projectId ?? 'admin', admin: true };
  const token = header('x-auth-token');
  const grant = token === undefined ? undefined : Object.hasOwn(auth.tokens, token) ? auth.tokens[token] : undefined;
  return grant && { projectId: grant.project_id, admin: grant.role === 'admin' };
}

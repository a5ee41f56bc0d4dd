import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Store } from '../store/store.js';
import { installAuth, type AuthOptions } from './auth.js';
import { registerControllerRoutes, type ControllerHooks } from './controller-routes.js';
import { installErrorHandlers } from './errors.js';
import { installMetrics } from './metrics.js';
import { registerNeutronRoutes } from './neutron-routes.js';
import { collectOpenApi } from './openapi.js';
import { registerRootRoutes } from './root-routes.js';

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 9696;

export interface ApiServerOptions extends ControllerHooks {
  store: Store;
  /** Listen address; 127.0.0.1 unless configured. */
  host?: string;
  /** Listen port; 9696 (Neutron's) by default, 0 for any free port. */
  port?: number;
  auth: AuthOptions;
  logger?: Logger | false;
  /** Largest request body accepted (a 10,000-port bulk create is about 1 MB). */
  bodyLimit?: number;
}

export interface ApiServer {
  app: FastifyInstance;
  /** The Prometheus registry `/v1/metrics` serves, for metrics registered outside the API. */
  metrics: Registry;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:9696. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The northbound API: Neutron v2.0 under `/v2.0`, controller endpoints under `/v1`. */
export async function createApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const app = Fastify({
    loggerInstance: (opts.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: opts.bodyLimit ?? 32 * 1024 * 1024,
    genReqId: () => `req-${randomUUID()}`,
    // Refuse rather than repair: no stripping of unknown attributes, no type coercion, no defaults.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allowUnionTypes: true } },
  });
  const openApi = collectOpenApi(app);
  installErrorHandlers(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-openstack-request-id', request.id);
    done();
  });
  installAuth(app, opts.auth);
  const metrics = installMetrics(app, opts.store);
  registerRootRoutes(app);
  registerNeutronRoutes(app, opts.store);
  registerControllerRoutes(app, opts.store, metrics, opts, openApi);
  await app.ready();

  return {
    app,
    metrics,
    listen: () => app.listen({ host: opts.host ?? DEFAULT_API_HOST, port: opts.port ?? DEFAULT_API_PORT }),
    close: () => app.close(),
  };
}

import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

/** A registry per server (not prom-client's global one), so several servers can live in one process. */
export function installMetrics(app: FastifyInstance, store: Store): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'neutrino_' });
  const requests = new Counter({
    name: 'neutrino_api_requests_total',
    help: 'Northbound API requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'neutrino_api_request_duration_seconds',
    help: 'Northbound API request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'neutrino_store_resources',
    help: 'Resources in the topology store by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const [kind, n] of Object.entries(store.counts())) this.set({ kind }, n);
    },
  });

  // Label children resolved once per (method, route, status): prom-client otherwise hashes the label object on
  // every inc/observe. Routes are the registered patterns, so the map stays small.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = {
        count: requests.labels({ method: request.method, route, status: String(reply.statusCode) }),
        time: duration.labels({ method: request.method, route }),
      };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });
  return registry;
}

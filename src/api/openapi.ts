import type { FastifyInstance, RouteOptions } from 'fastify';
import { listParameters, listResponse } from './openapi-lists.js';

interface PathItem {
  [method: string]: Record<string, unknown>;
}

/**
 * Collects every route as it is registered and builds an OpenAPI 3 document from the routes' own JSON schemas
 * and, for list routes, their `config.list` (the attributes list queries are validated against), so the document
 * cannot drift from what the server validates.
 */
export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const paths: Record<string, PathItem> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const schema = (route.schema ?? {}) as { body?: unknown };
    const tag = route.url.split('/')[2] || 'root';
    const params: Array<Record<string, unknown>> = [...route.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const list = route.config?.list;
    if (list) params.push(...listParameters(list));
    for (const method of methods) {
      (paths[path] ??= {})[method.toLowerCase()] = {
        tags: [tag],
        ...(params.length ? { parameters: params } : {}),
        ...(schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } } : {}),
        responses: {
          ...(list ? { 200: listResponse(list) } : {}),
          default: {
            description: 'JSON body; errors are {"NeutronError": {"type", "message", "detail"}}',
          },
        },
      };
    }
  });
  return () => ({
    openapi: '3.0.3',
    info: { title: 'Neutrino northbound API (Neutron v2.0 compatible + controller /v1)', version: '0.1.0' },
    components: {
      securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' } },
    },
    security: [{ token: [] }],
    paths,
  });
}

import type { FastifyRequest } from 'fastify';
import type { ResourceAttributes } from './attributes.js';
import type { Item, Query } from './list-filter.js';
import { parseListParams } from './list-params.js';
import { queryList } from './list-query.js';

/** What a list route declares in its `config.list`: answered by `answerList`, documented by openapi.ts. */
export interface ListRoute {
  /** JSON key of the list, e.g. `networks`; the links are `<plural>_links`. */
  plural: string;
  attributes: ResourceAttributes;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    list?: ListRoute;
  }
}

/** Where a list route's items come from: the caller's visible items, and the marker looked up as the resource. */
export interface ListSource {
  list(): unknown[];
  get(id: string): unknown;
}

/**
 * Answers `GET <collection>` as Neutron does: validates the query, looks the marker up as the resource itself (so an
 * unknown or invisible one is that resource's 404), then filters, sorts, pages and projects.
 */
export function answerList(req: FastifyRequest, route: ListRoute, source: ListSource): Record<string, unknown> {
  const query = req.query as Query;
  const params = parseListParams(query, route.attributes);
  const marker = params.marker === undefined ? undefined : (source.get(params.marker) as Item);
  const { items, links } = queryList(source.list(), query, params, marker, requestUrl(req));
  return links.length > 0 ? { [route.plural]: items, [`${route.plural}_links`]: links } : { [route.plural]: items };
}

/** The absolute URL the client asked for, as Neutron's paging links are built from it. */
const requestUrl = (req: FastifyRequest): string => `${req.protocol}://${req.host}${req.url}`;

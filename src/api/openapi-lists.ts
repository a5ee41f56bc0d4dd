/**
 * The OpenAPI description of a list route's query parameters and answer, built from the route's `config.list`
 * (attributes.ts), so the document names exactly the filters and sort keys the server accepts.
 */
import { NOT_FILTERS, TAG_FILTERS } from './list-filter.js';
import type { ListRoute } from './list-route.js';

type Doc = Record<string, unknown>;

const strings = { type: 'array', items: { type: 'string' } };

/** A parameter that may be repeated (`?k=a&k=b`), as Neutron's filters, `fields` and sort pairs are. */
const repeatable = (name: string, description: string, items: Doc = { type: 'string' }): Doc => ({
  name,
  in: 'query',
  description,
  schema: { type: 'array', items },
  style: 'form',
  explode: true,
});

const scalar = (name: string, description: string, schema: Doc): Doc => ({ name, in: 'query', description, schema });

/** A tag filter takes a comma list (`?tags=a,b`). */
const tagFilter = (name: string, description: string): Doc => ({
  name,
  in: 'query',
  description,
  schema: strings,
  style: 'form',
  explode: false,
});

const TAG_DESCRIPTIONS: Record<string, string> = {
  tags: 'Only items having all of these tags.',
  'tags-any': 'Only items having any of these tags.',
  'not-tags': 'Only items not having all of these tags.',
  'not-tags-any': 'Only items having none of these tags.',
};

export function listParameters(route: ListRoute): Doc[] {
  const { all, sortable } = route.attributes;
  const filters = [...all]
    .filter((name) => !NOT_FILTERS.has(name) && !TAG_FILTERS.has(name))
    .map((name) => repeatable(name, `Equality filter on \`${name}\`; repeated, matches any of the values.`));
  return [
    repeatable('fields', 'Attributes to return (the others are left out); repeated for several.'),
    scalar('limit', 'Page size; 0 or absent returns the whole list.', { type: 'integer', minimum: 0 }),
    scalar('marker', 'Id of the last item seen: the page starts after it. Ignored without `limit`.', { type: 'string' }),
    scalar('page_reverse', 'The page before the marker (or the last page) instead.', { type: 'boolean', default: false }),
    repeatable('sort_key', 'Sort keys, paired in order with `sort_dir`; `id` ascending breaks ties.', {
      type: 'string',
      enum: [...sortable],
    }),
    repeatable('sort_dir', 'One direction per `sort_key`.', { type: 'string', enum: ['asc', 'desc'] }),
    ...[...TAG_FILTERS].map((name) => tagFilter(name, TAG_DESCRIPTIONS[name])),
    ...filters,
  ];
}

/** `{"<plural>": [...], "<plural>_links": [{rel, href}]}`; the links only when paging. */
export function listResponse(route: ListRoute): Doc {
  const links = {
    type: 'array',
    description: 'Only with `limit`: `next` and `previous` pages, each the request URL with another marker.',
    items: {
      type: 'object',
      required: ['rel', 'href'],
      properties: { rel: { type: 'string', enum: ['next', 'previous'] }, href: { type: 'string', format: 'uri' } },
    },
  };
  return {
    description: `The ${route.plural} the caller may see that match the query`,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: [route.plural],
          properties: { [route.plural]: { type: 'array', items: { type: 'object' } }, [`${route.plural}_links`]: links },
        },
      },
    },
  };
}

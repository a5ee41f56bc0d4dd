import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';
import type { Caller, ResourceKind } from '../store/types.js';
import { attributesOf } from './attributes.js';
import { project } from './list-query.js';
import { answerList, type ListRoute } from './list-route.js';
import { envelope, INTERFACE_BODY, RESOURCE_SCHEMAS, TAGS_BODY } from './schemas.js';

type Doc = Record<string, unknown>;
type Query = Record<string, string | string[] | undefined>;

/** What a collection route needs from the store. */
interface Service {
  /** `only` holds one-valued filters on indexed columns that the store may use to narrow the scan. */
  list(caller: Caller, only?: Record<string, string>): unknown[];
  get(caller: Caller, id: string): unknown;
  create(caller: Caller, input: Doc): unknown;
  update(caller: Caller, id: string, input: Doc): unknown;
  delete(caller: Caller, id: string): void;
}

export interface Collection {
  /** URL segment, e.g. `security-groups`. */
  path: string;
  plural: string;
  singular: Exclude<ResourceKind, 'host'>;
  service: (store: Store) => Service;
}

const asService = (s: unknown): Service => s as Service;

export const COLLECTIONS: Collection[] = [
  { path: 'networks', plural: 'networks', singular: 'network', service: (s) => asService(s.networks) },
  { path: 'subnets', plural: 'subnets', singular: 'subnet', service: (s) => asService(s.subnets) },
  { path: 'ports', plural: 'ports', singular: 'port', service: (s) => asService(s.ports) },
  { path: 'routers', plural: 'routers', singular: 'router', service: (s) => asService(s.routers) },
  { path: 'floatingips', plural: 'floatingips', singular: 'floatingip', service: (s) => asService(s.floatingIps) },
  {
    path: 'security-groups',
    plural: 'security_groups',
    singular: 'security_group',
    service: (s) => asService(s.securityGroups),
  },
  {
    path: 'security-group-rules',
    plural: 'security_group_rules',
    singular: 'security_group_rule',
    service: (s) => {
      const g = s.securityGroups;
      return asService({
        list: (c: Caller) => g.listRules(c),
        get: (c: Caller, id: string) => g.getRule(c, id),
        create: (c: Caller, input: Doc) => g.createRule(c, input),
        update: (c: Caller, id: string, input: Doc) => g.updateRule(c, id, input),
        delete: (c: Caller, id: string) => g.deleteRule(c, id),
      });
    },
  },
];

const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const asFields = (q: Query): string[] => (q.fields === undefined ? [] : ([] as string[]).concat(q.fields));

/** `/v2.0/<collection>[/<id>]` CRUD, bulk create, tags, and the router interface actions. */
export function registerNeutronRoutes(app: FastifyInstance, store: Store): void {
  for (const c of COLLECTIONS) {
    const service = c.service(store);
    const base = `/v2.0/${c.path}`;
    const schemas = RESOURCE_SCHEMAS[c.singular];
    const list: ListRoute = { plural: c.plural, attributes: attributesOf(c.singular) };

    app.get(base, { config: { list } }, async (req) =>
      answerList(req, list, {
        list: () => service.list(req.caller, indexedFilters(req.query as Query)),
        get: (id) => service.get(req.caller, id),
      }));

    app.get(`${base}/:id`, { schema: { params: idParams } }, async (req) => {
      const { id } = req.params as { id: string };
      return { [c.singular]: project([service.get(req.caller, id) as Doc], asFields(req.query as Query))[0] };
    });

    app.post(base, { schema: { body: envelope(c.singular, c.plural, schemas.create, true) } }, async (req, reply) => {
      const body = req.body as Record<string, Doc | Doc[]>;
      reply.code(201);
      if (Array.isArray(body[c.plural])) {
        const items = body[c.plural] as Doc[];
        return { [c.plural]: store.transaction(() => items.map((item) => service.create(req.caller, item))) };
      }
      return { [c.singular]: service.create(req.caller, body[c.singular] as Doc) };
    });

    app.put(`${base}/:id`, { schema: { params: idParams, body: envelope(c.singular, c.plural, schemas.update, false) } },
      async (req) => {
        const { id } = req.params as { id: string };
        return { [c.singular]: service.update(req.caller, id, (req.body as Record<string, Doc>)[c.singular]) };
      });

    app.delete(`${base}/:id`, { schema: { params: idParams } }, async (req, reply) => {
      service.delete(req.caller, (req.params as { id: string }).id);
      return reply.code(204).send();
    });

    registerTagRoutes(app, store, c, service);
  }

  for (const action of ['add_router_interface', 'remove_router_interface'] as const) {
    app.put(`/v2.0/routers/:id/${action}`, { schema: { params: idParams, body: INTERFACE_BODY } }, async (req) => {
      const { id } = req.params as { id: string };
      const body = req.body as { subnet_id?: string; port_id?: string };
      return action === 'add_router_interface'
        ? store.routers.addInterface(req.caller, id, body)
        : store.routers.removeInterface(req.caller, id, body);
    });
  }
}

/** `network_id=` / `device_id=` with a single value: the store answers those from an index. */
function indexedFilters(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['network_id', 'device_id']) {
    const v = query[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function registerTagRoutes(app: FastifyInstance, store: Store, c: Collection, service: Service): void {
  const base = `/v2.0/${c.path}/:id/tags`;
  const tagsOf = (caller: Caller, id: string): string[] => (service.get(caller, id) as { tags: string[] }).tags;
  const schema = { params: idParams };

  app.get(base, { schema }, async (req) => ({ tags: tagsOf(req.caller, (req.params as { id: string }).id) }));

  app.put(base, { schema: { params: idParams, body: TAGS_BODY } }, async (req) => {
    const { id } = req.params as { id: string };
    return { tags: store.setTags(req.caller, c.singular, id, (req.body as { tags: string[] }).tags).tags };
  });

  app.delete(base, { schema }, async (req, reply) => {
    store.setTags(req.caller, c.singular, (req.params as { id: string }).id, []);
    return reply.code(204).send();
  });

  app.put(`${base}/:tag`, {}, async (req, reply) => {
    const { id, tag } = req.params as { id: string; tag: string };
    store.setTags(req.caller, c.singular, id, [...tagsOf(req.caller, id), tag]);
    return reply.code(201).send();
  });

  app.delete(`${base}/:tag`, {}, async (req, reply) => {
    const { id, tag } = req.params as { id: string; tag: string };
    const current = tagsOf(req.caller, id);
    if (!current.includes(tag)) {
      return reply.code(404).send({ NeutronError: { type: 'TagNotFound', message: `Tag ${tag} could not be found for ${c.singular} ${id}.`, detail: '' } });
    }
    store.setTags(req.caller, c.singular, id, current.filter((t) => t !== tag));
    return reply.code(204).send();
  });
}

import type { ResourceKind } from '../store/types.js';
import { RESOURCE_SCHEMAS } from './schemas.js';

/** The Neutron resources served under /v2.0 (hosts are listed under /v1 with the same list queries). */
export type NeutronKind = Exclude<ResourceKind, 'host'>;

/** What list queries may name: every attribute filters; only scalar ones sort (Neutron's is_sort_key). */
export interface ResourceAttributes {
  all: ReadonlySet<string>;
  sortable: ReadonlySet<string>;
}

/** Lists and objects (compound) do not sort. */
type Shape = 'scalar' | 'compound';

const STANDARD: Record<string, Shape> = {
  id: 'scalar',
  created_at: 'scalar',
  updated_at: 'scalar',
  revision_number: 'scalar',
  tags: 'compound',
};

/**
 * Attributes the store puts in a resource's view that no request body sets. Together with the create schema's
 * properties they are the resource's attributes (test/api/list-attributes.test.ts and hosts-list.test.ts hold every
 * view to them).
 */
const VIEW_ONLY: Record<ResourceKind, Record<string, Shape>> = {
  network: { status: 'scalar', subnets: 'compound' },
  subnet: {},
  port: { status: 'scalar', 'binding:vif_type': 'scalar', 'binding:vif_details': 'compound' },
  router: { status: 'scalar' },
  floatingip: { name: 'scalar', router_id: 'scalar', status: 'scalar' },
  security_group: { security_group_rules: 'compound' },
  security_group_rule: {},
  // The creating admin's project: a host body cannot set it.
  host: { project_id: 'scalar', tenant_id: 'scalar' },
};

function shapeOf(schema: { type?: string | string[] }): Shape {
  const types = ([] as string[]).concat(schema.type ?? []);
  return types.includes('array') || types.includes('object') ? 'compound' : 'scalar';
}

function declare(kind: ResourceKind): ResourceAttributes {
  const create = RESOURCE_SCHEMAS[kind].create as { properties: Record<string, { type?: string | string[] }> };
  const shapes: Record<string, Shape> = { ...STANDARD, ...VIEW_ONLY[kind] };
  for (const [name, schema] of Object.entries(create.properties)) shapes[name] = shapeOf(schema);
  const names = Object.keys(shapes);
  return { all: new Set(names), sortable: new Set(names.filter((n) => shapes[n] === 'scalar')) };
}

const DECLARED = new Map<ResourceKind, ResourceAttributes>();

export function attributesOf(kind: ResourceKind): ResourceAttributes {
  let attrs = DECLARED.get(kind);
  if (!attrs) DECLARED.set(kind, (attrs = declare(kind)));
  return attrs;
}

import type { FastifyInstance } from 'fastify';
import { sendNeutronError } from './errors.js';
import { COLLECTIONS } from './neutron-routes.js';

/** The extensions we implement, by Neutron alias; `tag-ports-during-bulk-creation` lets the CLI send tags inline. */
const EXTENSIONS: [alias: string, name: string, description: string][] = [
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.'],
  ['provider', 'Provider Network', 'Expose mapping of virtual networks to physical networks'],
  ['router', 'Neutron L3 Router', 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.'],
  ['ext-gw-mode', 'Neutron L3 Configurable external gateway mode', 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway'],
  ['dvr', 'Distributed Virtual Router', 'Enables configuration of Distributed Virtual Routers.'],
  ['extraroute', 'Neutron Extra Route', 'Extra routes configuration for L3 router'],
  ['security-group', 'security-group', 'The security groups extension.'],
  ['port-security', 'Port Security', 'Provides port security'],
  ['allowed-address-pairs', 'Allowed Address Pairs', 'Provides allowed address pairs'],
  ['binding', 'Port Binding', 'Expose port bindings of a virtual port to external application'],
  ['standard-attr-tag', 'Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip', 'Enables to set tag on resources with standard attribute.'],
  ['tag-ports-during-bulk-creation', 'Tag Ports During Bulk Creation', 'Allow to tag ports during bulk creation'],
  ['standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.'],
  ['standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.'],
  ['standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes'],
  ['net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.'],
  ['project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'],
  ['stateful-security-group', 'Stateful security group', 'Indicates if the security group is stateful or not'],
];

const extensionDoc = ([alias, name, description]: (typeof EXTENSIONS)[number]): Record<string, unknown> => ({
  alias,
  name,
  description,
  links: [],
  updated: '2026-01-01T00:00:00-00:00',
});

/** Version discovery (`GET /`), the v2.0 resource index, extensions, and the identity stubs the CLI calls. */
export function registerRootRoutes(app: FastifyInstance): void {
  app.get('/', async (req) => ({
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${baseUrl(req.protocol, req.host)}/v2.0/`, rel: 'self' }] }],
  }));

  app.get('/v2.0', async (req) => ({
    resources: COLLECTIONS.map((c) => ({
      name: c.singular,
      collection: c.plural,
      links: [{ href: `${baseUrl(req.protocol, req.host)}/v2.0/${c.path}`, rel: 'self' }],
    })),
  }));

  app.get('/v2.0/extensions', async () => ({ extensions: EXTENSIONS.map(extensionDoc) }));

  app.get('/v2.0/extensions/:alias', async (req, reply) => {
    const { alias } = req.params as { alias: string };
    const found = EXTENSIONS.find(([a]) => a === alias);
    if (!found) return sendNeutronError(reply, 404, 'ExtensionNotFound', `Extension with alias ${alias} does not exist`);
    return { extension: extensionDoc(found) };
  });

  // `openstack … --project X` asks the identity API on the same endpoint; projects are just names here.
  const projectDoc = (id: string): Record<string, unknown> => ({ id, name: id, domain_id: 'default', enabled: true });
  app.get('/projects/:id', async (req) => ({ project: projectDoc((req.params as { id: string }).id) }));
  app.get('/projects', async (req) => {
    const { name } = req.query as { name?: string };
    return { projects: name ? [projectDoc(name)] : [] };
  });
}

function baseUrl(protocol: string, host: string): string {
  return `${protocol}://${host}`;
}

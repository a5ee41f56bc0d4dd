/**
 * JSON schemas of request bodies. Fastify validates with them (unknown attributes and wrong types are refused
 * before the store is touched) and the OpenAPI document is generated from them.
 */

type Schema = Record<string, unknown>;

const string = { type: 'string', maxLength: 255 };
const longString = { type: 'string', maxLength: 1024 };
const nullableString = { type: ['string', 'null'], maxLength: 255 };
const boolean = { type: 'boolean' };
const stringList = { type: 'array', items: string };
/** physnet -> bridge: a bridge is a Linux netdev too, so at most 15 characters (as `neutrino join` checks). */
const bridgeMappings = { type: 'object', additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$' } };
const route = {
  type: 'object',
  required: ['destination', 'nexthop'],
  additionalProperties: false,
  properties: { destination: string, nexthop: string },
};
const fixedIp = {
  type: 'object',
  additionalProperties: false,
  properties: { subnet_id: string, ip_address: string },
};

const common = { name: string, description: longString, tags: stringList };
const ownership = { project_id: string, tenant_id: string };

function object(properties: Schema, required: string[] = []): Schema {
  return { type: 'object', additionalProperties: false, properties, required };
}

const networkUpdate = {
  ...common,
  admin_state_up: boolean,
  shared: boolean,
  'router:external': boolean,
  mtu: { type: 'integer' },
  port_security_enabled: boolean,
  'provider:network_type': { type: 'string', enum: ['local', 'flat', 'vlan', 'vxlan'] },
  'provider:physical_network': nullableString,
  'provider:segmentation_id': { type: ['integer', 'null'] },
};

const subnetUpdate = {
  ...common,
  gateway_ip: nullableString,
  allocation_pools: {
    type: 'array',
    items: object({ start: string, end: string }, ['start', 'end']),
  },
  enable_dhcp: boolean,
  dns_nameservers: stringList,
  host_routes: { type: 'array', items: route },
};

const ipv6Mode = { type: ['string', 'null'], enum: ['slaac', 'dhcpv6-stateful', 'dhcpv6-stateless', null] };

const portUpdate = {
  ...common,
  mac_address: string,
  fixed_ips: { type: 'array', items: fixedIp },
  admin_state_up: boolean,
  device_id: string,
  device_owner: string,
  'binding:host_id': string,
  'binding:vnic_type': {
    type: 'string',
    enum: ['normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'vdpa', 'remote-managed'],
  },
  'binding:profile': { type: 'object' },
  security_groups: stringList,
  port_security_enabled: boolean,
  allowed_address_pairs: {
    type: 'array',
    items: object({ ip_address: string, mac_address: string }, ['ip_address']),
  },
};

const gatewayInfo = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    network_id: string,
    enable_snat: boolean,
    external_fixed_ips: { type: 'array', items: fixedIp },
  },
};

const routerUpdate = {
  ...common,
  admin_state_up: boolean,
  distributed: boolean,
  ha: boolean,
  external_gateway_info: gatewayInfo,
  routes: { type: 'array', items: route },
};

const floatingIpUpdate = {
  description: longString,
  tags: stringList,
  port_id: nullableString,
  fixed_ip_address: nullableString,
};

const securityGroupUpdate = { ...common, stateful: boolean };

const portNumber = { type: ['integer', 'null'], minimum: 0, maximum: 65535 };

/** Create and update attribute schemas of each Neutron resource (singular JSON key). */
export const RESOURCE_SCHEMAS: Record<string, { create: Schema; update: Schema }> = {
  network: {
    create: object({ ...networkUpdate, ...ownership }),
    update: object(networkUpdate),
  },
  subnet: {
    create: object(
      {
        ...subnetUpdate,
        ...ownership,
        network_id: string,
        cidr: string,
        ip_version: { type: 'integer', enum: [4, 6] },
        ipv6_ra_mode: ipv6Mode,
        ipv6_address_mode: ipv6Mode,
        subnetpool_id: { type: 'null' },
      },
      ['network_id'],
    ),
    update: object(subnetUpdate),
  },
  port: {
    create: object({ ...portUpdate, ...ownership, network_id: string }, ['network_id']),
    update: object(portUpdate),
  },
  router: {
    create: object({ ...routerUpdate, ...ownership }),
    update: object(routerUpdate),
  },
  floatingip: {
    create: object(
      { ...floatingIpUpdate, ...ownership, floating_network_id: string, floating_ip_address: string, subnet_id: string },
      ['floating_network_id'],
    ),
    update: object(floatingIpUpdate),
  },
  security_group: {
    create: object({ ...securityGroupUpdate, ...ownership }),
    update: object(securityGroupUpdate),
  },
  security_group_rule: {
    create: object(
      {
        ...ownership,
        description: longString,
        security_group_id: string,
        direction: { type: 'string', enum: ['ingress', 'egress'] },
        ethertype: { type: 'string', enum: ['IPv4', 'IPv6'] },
        protocol: { type: ['string', 'integer', 'null'] },
        port_range_min: portNumber,
        port_range_max: portNumber,
        remote_ip_prefix: nullableString,
        remote_group_id: nullableString,
        remote_address_group_id: { type: 'null' },
      },
      ['security_group_id', 'direction'],
    ),
    update: object({ description: longString }),
  },
  host: {
    create: object(
      {
        name: string,
        description: longString,
        tunnel_ip: nullableString,
        bridge_mappings: bridgeMappings,
        dvr_host_mac: string,
      },
      ['name'],
    ),
    update: object({
      description: longString,
      tunnel_ip: nullableString,
      bridge_mappings: bridgeMappings,
      dvr_host_mac: string,
    }),
  },
};

/** `{"<singular>": {...}}`, or for bulk create `{"<plural>": [{...}, ...]}`. */
export function envelope(singular: string, plural: string, item: Schema, allowBulk: boolean): Schema {
  const properties: Schema = { [singular]: item };
  if (allowBulk) properties[plural] = { type: 'array', items: item, minItems: 1 };
  return { type: 'object', additionalProperties: false, properties, minProperties: 1, maxProperties: 1 };
}

export const TAGS_BODY = object({ tags: stringList }, ['tags']);

export const INTERFACE_BODY = object({ subnet_id: string, port_id: string });

/** Resources in their Neutron v2.0 JSON shape, as the API returns them and apps read them. */

export type ResourceKind =
  | 'network'
  | 'subnet'
  | 'port'
  | 'router'
  | 'floatingip'
  | 'security_group'
  | 'security_group_rule'
  | 'host';

export type NetworkType = 'local' | 'flat' | 'vlan' | 'vxlan';

/** Who asks. `admin` sees and may change everything; a member only its project (plus shared/external networks). */
export interface Caller {
  projectId: string;
  admin: boolean;
}

/** For internal changes made on behalf of the controller itself. */
export const SYSTEM: Caller = { projectId: '', admin: true };

export interface BaseDoc {
  id: string;
  name: string;
  description: string;
  project_id: string;
  tenant_id: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface Network extends BaseDoc {
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  status: string;
  subnets: string[];
  port_security_enabled: boolean;
  'provider:network_type': NetworkType;
  'provider:physical_network': string | null;
  'provider:segmentation_id': number | null;
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface Subnet extends BaseDoc {
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: HostRoute[];
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: null;
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface AddressPair {
  ip_address: string;
  mac_address: string;
}

export interface Port extends BaseDoc {
  network_id: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  'binding:host_id': string;
  'binding:vif_type': string;
  'binding:vnic_type': string;
  'binding:profile': Record<string, unknown>;
  'binding:vif_details': Record<string, unknown>;
  security_groups: string[];
  port_security_enabled: boolean;
  allowed_address_pairs: AddressPair[];
}

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

export interface Router extends BaseDoc {
  admin_state_up: boolean;
  status: string;
  distributed: boolean;
  ha: boolean;
  external_gateway_info: ExternalGatewayInfo | null;
  routes: HostRoute[];
}

export interface FloatingIp extends BaseDoc {
  floating_network_id: string;
  floating_ip_address: string;
  router_id: string | null;
  port_id: string | null;
  fixed_ip_address: string | null;
  status: string;
}

export interface SecurityGroupRule extends Omit<BaseDoc, 'name'> {
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface SecurityGroup extends BaseDoc {
  stateful: boolean;
  security_group_rules: SecurityGroupRule[];
}

/** A hypervisor/network node the controller programs (not a Neutron resource). */
export interface Host extends BaseDoc {
  tunnel_ip: string | null;
  bridge_mappings: Record<string, string>;
  dvr_host_mac: string;
}

export interface ResourceOf {
  network: Network;
  subnet: Subnet;
  port: Port;
  router: Router;
  floatingip: FloatingIp;
  security_group: SecurityGroup;
  security_group_rule: SecurityGroupRule;
  host: Host;
}

/** One committed change of a `K`; `before` is absent on create, `after` on delete. */
export interface ChangeOf<K extends ResourceKind> {
  kind: K;
  op: 'created' | 'updated' | 'deleted';
  id: string;
  before?: ResourceOf[K];
  after?: ResourceOf[K];
}

/** Emitted on `store.changes` only after its transaction commits; narrowing on `kind` types `before`/`after`. */
export type Change = { [K in ResourceKind]: ChangeOf<K> }[ResourceKind];

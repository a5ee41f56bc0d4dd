import { ownedOr403, visibleOr404, baseFields } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import {
  canonicalIp,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  formatIp,
  lastAddress,
  parseCidr,
  parseIp,
  type Cidr,
} from './ip.js';
import { isHostAddress, poolBounds } from './ipam.js';
import type { Networks } from './networks.js';
import type { AllocationPool, Caller, HostRoute, Network, Subnet } from './types.js';

export interface SubnetInput {
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  network_id?: string;
  cidr?: string;
  ip_version?: 4 | 6;
  gateway_ip?: string | null;
  allocation_pools?: AllocationPool[];
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  host_routes?: HostRoute[];
  ipv6_ra_mode?: string | null;
  ipv6_address_mode?: string | null;
}

export class Subnets {
  constructor(
    private readonly ctx: StoreContext,
    private readonly networks: Networks,
  ) {}

  list(caller: Caller): Subnet[] {
    const all = this.ctx.docs.subnet.all();
    if (caller.admin) return all;
    const sharedNets = new Set(this.ctx.docs.network.all().filter((n) => n.shared).map((n) => n.id));
    return all.filter((s) => s.project_id === caller.projectId || sharedNets.has(s.network_id));
  }

  get(caller: Caller, id: string): Subnet {
    const subnet = this.ctx.docs.subnet.get(id);
    if (subnet && !caller.admin && subnet.project_id !== caller.projectId) {
      const net = this.ctx.docs.network.get(subnet.network_id);
      if (net?.shared) return subnet;
    }
    return visibleOr404(caller, subnet, 'Subnet', id);
  }

  create(caller: Caller, input: SubnetInput): Subnet {
    return this.ctx.write(() => {
      if (!input.network_id) throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
      const network = ownedOr403(
        caller,
        this.ctx.docs.network.get(input.network_id),
        'Network',
        input.network_id,
        'create_subnet',
      );
      if (input.cidr === undefined) throw badRequest('a subnet requires a cidr (subnet pools are not supported)');
      const cidr = parseCidr(input.cidr);
      if (!cidr) {
        const loose = parseCidr(input.cidr, { allowHostBits: true });
        const hint = loose ? `, ${formatCidr(loose)} is recommended` : '';
        throw badRequest(`Invalid input for cidr. Reason: '${input.cidr}' isn't a recognized IP subnet cidr${hint}.`);
      }
      if (input.ip_version !== undefined && input.ip_version !== cidr.version) {
        throw badRequest(`Invalid input for operation: Cidr ${input.cidr} does not match ip_version ${input.ip_version}.`);
      }
      const minHosts = cidr.version === 4 ? 30 : 126;
      if (cidr.prefixLength > minHosts) {
        throw badRequest(`Invalid input for operation: prefix length of ${input.cidr} leaves too few addresses.`);
      }
      this.refuseOverlap(network, cidr, input.cidr);
      const gateway = input.gateway_ip === undefined ? formatIp(cidr.version, cidr.network + 1n) : input.gateway_ip;
      const subnet: Subnet = {
        ...baseFields(caller, { ...input, project_id: input.project_id ?? input.tenant_id ?? network.project_id }, 'create_subnet'),
        network_id: network.id,
        ip_version: cidr.version,
        cidr: formatCidr(cidr),
        gateway_ip: gateway === null ? null : checkGateway(cidr, gateway),
        allocation_pools: [],
        enable_dhcp: input.enable_dhcp ?? true,
        dns_nameservers: checkNameservers(input.dns_nameservers ?? []),
        host_routes: checkHostRoutes(input.host_routes ?? [], cidr.version),
        ipv6_ra_mode: input.ipv6_ra_mode ?? null,
        ipv6_address_mode: input.ipv6_address_mode ?? null,
        subnetpool_id: null,
      };
      subnet.allocation_pools = input.allocation_pools
        ? checkPools(cidr, input.allocation_pools, subnet.gateway_ip)
        : defaultPools(cidr, subnet.gateway_ip);
      this.ctx.docs.subnet.insert(subnet);
      this.networks.setSubnets(network.id, (ids) => [...ids, subnet.id]);
      return subnet;
    });
  }

  update(caller: Caller, id: string, input: SubnetInput): Subnet {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.subnet.get(id), 'Subnet', id, 'update_subnet');
      const cidr = parseCidr(before.cidr) as Cidr;
      const after: Subnet = { ...before };
      for (const key of ['name', 'description', 'enable_dhcp', 'tags'] as const) {
        if (input[key] !== undefined) Object.assign(after, { [key]: input[key] });
      }
      if (input.gateway_ip !== undefined) {
        after.gateway_ip = input.gateway_ip === null ? null : checkGateway(cidr, input.gateway_ip);
      }
      if (input.dns_nameservers) after.dns_nameservers = checkNameservers(input.dns_nameservers);
      if (input.host_routes) after.host_routes = checkHostRoutes(input.host_routes, cidr.version);
      if (input.allocation_pools) {
        after.allocation_pools = checkPools(cidr, input.allocation_pools, after.gateway_ip);
        this.ctx.ipam.invalidate(id);
      } else if (after.gateway_ip !== before.gateway_ip && after.gateway_ip !== null) {
        refuseGatewayInPools(cidr, after.allocation_pools, after.gateway_ip);
      }
      return this.ctx.docs.subnet.update(before, after);
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const subnet = ownedOr403(caller, this.ctx.docs.subnet.get(id), 'Subnet', id, 'delete_subnet');
      this.remove(subnet);
    });
  }

  /** Internal removal (also when its network goes): refused while any port holds an address in it. */
  remove(subnet: Subnet): void {
    if (this.ctx.ipam.inUse(subnet.id) > 0) {
      throw conflict(
        'SubnetInUse',
        `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
      );
    }
    this.ctx.docs.subnet.delete(subnet);
    this.ctx.ipam.invalidate(subnet.id);
    this.networks.setSubnets(subnet.network_id, (ids) => ids.filter((s) => s !== subnet.id));
  }

  private refuseOverlap(network: Network, cidr: Cidr, text: string): void {
    for (const other of this.ctx.docs.subnet.where('network_id', network.id)) {
      if (cidrsOverlap(cidr, parseCidr(other.cidr) as Cidr)) {
        throw badRequest(
          `Invalid input for operation: Requested subnet with cidr: ${text} for network: ${network.id} overlaps with another subnet.`,
        );
      }
    }
  }
}

function checkGateway(cidr: Cidr, gateway: string): string {
  const ip = parseIp(gateway);
  if (!ip || ip.version !== cidr.version) throw badRequest(`Invalid input for gateway_ip. Reason: '${gateway}' is not a valid IP address.`);
  if (!cidrContains(cidr, ip) || !isHostAddress(cidr, ip.value)) {
    throw badRequest(`Invalid input for operation: Gateway IP ${gateway} is not a usable address of subnet ${formatCidr(cidr)}.`, 'InvalidInput');
  }
  return formatIp(ip.version, ip.value);
}

/** Neutron's default: every host address, less the gateway. */
function defaultPools(cidr: Cidr, gateway: string | null): AllocationPool[] {
  const first = cidr.network + 1n;
  const last = cidr.version === 4 ? lastAddress(cidr) - 1n : lastAddress(cidr);
  const gw = gateway === null ? undefined : (parseIp(gateway) as { value: bigint }).value;
  const ranges: [bigint, bigint][] = [];
  if (gw === undefined || gw < first || gw > last) ranges.push([first, last]);
  else {
    if (gw > first) ranges.push([first, gw - 1n]);
    if (gw < last) ranges.push([gw + 1n, last]);
  }
  return ranges.map(([a, b]) => ({ start: formatIp(cidr.version, a), end: formatIp(cidr.version, b) }));
}

function checkPools(cidr: Cidr, pools: AllocationPool[], gateway: string | null): AllocationPool[] {
  const canonical = pools.map((p) => {
    const start = parseIp(p.start);
    const end = parseIp(p.end);
    if (!start || !end || !cidrContains(cidr, start) || !cidrContains(cidr, end) || start.value > end.value
      || !isHostAddress(cidr, start.value) || !isHostAddress(cidr, end.value)) {
      throw badRequest(`The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${formatCidr(cidr)} or is invalid.`, 'OutOfBoundsAllocationPool');
    }
    return { start: formatIp(cidr.version, start.value), end: formatIp(cidr.version, end.value) };
  });
  const bounds = poolBounds({ allocation_pools: canonical }).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (let i = 1; i < bounds.length; i++) {
    if (bounds[i][0] <= bounds[i - 1][1]) {
      throw conflict('OverlappingAllocationPools', `Found overlapping allocation pools in subnet ${formatCidr(cidr)}.`);
    }
  }
  if (gateway !== null) refuseGatewayInPools(cidr, canonical, gateway);
  return canonical;
}

function refuseGatewayInPools(cidr: Cidr, pools: AllocationPool[], gateway: string): void {
  const gw = (parseIp(gateway) as { value: bigint }).value;
  if (poolBounds({ allocation_pools: pools }).some(([a, b]) => gw >= a && gw <= b)) {
    throw conflict(
      'GatewayConflictWithAllocationPools',
      `Gateway ip ${gateway} conflicts with allocation pool of subnet ${formatCidr(cidr)}.`,
    );
  }
}

function checkNameservers(servers: string[]): string[] {
  const out = servers.map((s) => {
    const ip = canonicalIp(s);
    if (!ip) throw badRequest(`Invalid input for dns_nameservers. Reason: '${s}' is not a valid nameserver.`);
    return ip;
  });
  if (new Set(out).size !== out.length) throw badRequest('Invalid input for dns_nameservers. Reason: Duplicate nameserver.');
  return out;
}

function checkHostRoutes(routes: HostRoute[], version: number): HostRoute[] {
  return routes.map((r) => {
    const dest = parseCidr(r.destination);
    const hop = parseIp(r.nexthop);
    if (!dest || !hop || dest.version !== version || hop.version !== version) {
      throw badRequest(`Invalid input for host_routes. Reason: invalid route ${JSON.stringify(r)}.`);
    }
    return { destination: formatCidr(dest), nexthop: formatIp(hop.version, hop.value) };
  });
}

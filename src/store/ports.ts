import type { Statement } from 'better-sqlite3';
import { adminOr403, baseFields, ownedOr403, visibleOr404 } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { canonicalIp, cidrContains, formatCidr, formatIp, parseCidr, parseIp, type Cidr } from './ip.js';
import { canonicalMac, randomMac } from './mac.js';
import type { SecurityGroups } from './security-groups.js';
import { SYSTEM, type AddressPair, type Caller, type FixedIp, type Network, type Port, type Subnet } from './types.js';

export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

export interface PortInput {
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  network_id?: string;
  mac_address?: string;
  fixed_ips?: FixedIpRequest[];
  admin_state_up?: boolean;
  device_id?: string;
  device_owner?: string;
  'binding:host_id'?: string;
  'binding:vnic_type'?: string;
  'binding:profile'?: Record<string, unknown>;
  security_groups?: string[];
  port_security_enabled?: boolean;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
}

/** Device owners whose ports belong to a router and may only be removed through the router. */
export const ROUTER_OWNERS = new Set([
  'network:router_interface',
  'network:router_interface_distributed',
  'network:router_gateway',
  'network:floatingip',
]);

const MAC_PREFIX = 'fa:16:3e';

export class Ports {
  private readonly macTaken: Statement;

  constructor(
    private readonly ctx: StoreContext,
    private readonly securityGroups: SecurityGroups,
    private readonly onDelete: (port: Port) => void,
  ) {
    this.macTaken = ctx.db.prepare('SELECT 1 FROM ports WHERE mac_address = ?').pluck();
  }

  /** All visible ports, or (using an index) only those of one network or one device. */
  list(caller: Caller, only?: { network_id?: string; device_id?: string }): Port[] {
    const [column, value] = Object.entries(only ?? {}).find(([, v]) => v !== undefined) ?? [];
    const ports = value !== undefined
      ? this.ctx.docs.port.where(column as string, value)
      : caller.admin
        ? this.ctx.docs.port.all()
        : this.ctx.docs.port.where('project_id', caller.projectId);
    return caller.admin ? ports : ports.filter((p) => p.project_id === caller.projectId);
  }

  get(caller: Caller, id: string): Port {
    return visibleOr404(caller, this.ctx.docs.port.get(id), 'Port', id);
  }

  create(caller: Caller, input: PortInput): Port {
    return this.ctx.write(() => {
      if (!input.network_id) throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
      const network = visibleOr404(caller, this.ctx.docs.network.get(input.network_id), 'Network', input.network_id);
      if (input['binding:host_id']) adminOr403(caller, 'create_port:binding:host_id');
      const base = baseFields(caller, input, 'create_port');
      const mac = this.pickMac(input.mac_address);
      const deviceOwner = input.device_owner ?? '';
      const portSecurity = input.port_security_enabled ?? network.port_security_enabled;
      let groups: string[] = [];
      if (input.security_groups !== undefined) groups = this.securityGroups.resolve(caller, input.security_groups);
      else if (portSecurity && !deviceOwner.startsWith('network:')) groups = [this.securityGroups.ensureDefault(base.project_id)];
      const pairs = normalisePairs(input.allowed_address_pairs ?? [], mac);
      checkPortSecurity(portSecurity, groups, pairs);
      const port: Port = {
        ...base,
        network_id: network.id,
        mac_address: mac,
        fixed_ips: [],
        admin_state_up: input.admin_state_up ?? true,
        status: 'DOWN',
        device_id: input.device_id ?? '',
        device_owner: deviceOwner,
        'binding:host_id': input['binding:host_id'] ?? '',
        'binding:vif_type': input['binding:host_id'] ? 'ovs' : 'unbound',
        'binding:vnic_type': input['binding:vnic_type'] ?? 'normal',
        'binding:profile': input['binding:profile'] ?? {},
        'binding:vif_details': {},
        security_groups: groups,
        port_security_enabled: portSecurity,
        allowed_address_pairs: pairs,
      };
      port.fixed_ips = this.allocateIps(network, port.id, mac, input.fixed_ips);
      return this.ctx.docs.port.insert(port);
    });
  }

  update(caller: Caller, id: string, input: PortInput): Port {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.port.get(id), 'Port', id, 'update_port');
      if (input.network_id !== undefined && input.network_id !== before.network_id) {
        throw badRequest('Cannot update read-only attribute network_id');
      }
      if (input['binding:host_id'] !== undefined) adminOr403(caller, 'update_port:binding:host_id');
      const after: Port = { ...before };
      for (const key of ['name', 'description', 'tags', 'admin_state_up', 'device_id', 'device_owner',
        'binding:vnic_type', 'binding:profile', 'port_security_enabled'] as const) {
        if (input[key] !== undefined) Object.assign(after, { [key]: input[key] });
      }
      if (input['binding:host_id'] !== undefined) {
        after['binding:host_id'] = input['binding:host_id'];
        after['binding:vif_type'] = input['binding:host_id'] ? 'ovs' : 'unbound';
      }
      if (input.mac_address !== undefined && input.mac_address.toLowerCase() !== before.mac_address) {
        after.mac_address = this.pickMac(input.mac_address);
      }
      if (input.security_groups !== undefined) after.security_groups = this.securityGroups.resolve(caller, input.security_groups);
      if (input.allowed_address_pairs !== undefined) {
        after.allowed_address_pairs = normalisePairs(input.allowed_address_pairs, after.mac_address);
      }
      checkPortSecurity(after.port_security_enabled, after.security_groups, after.allowed_address_pairs);
      if (input.fixed_ips !== undefined) after.fixed_ips = this.reallocateIps(before, input.fixed_ips);
      return this.ctx.docs.port.update(before, after);
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const port = ownedOr403(caller, this.ctx.docs.port.get(id), 'Port', id, 'delete_port');
      if (ROUTER_OWNERS.has(port.device_owner)) {
        throw conflict(
          'PortInUse',
          `Port ${id} cannot be deleted directly via the port API: has device owner ${port.device_owner}.`,
        );
      }
      this.remove(port);
    });
  }

  /** Internal removal: frees its addresses and lets floating IPs let go of it. */
  remove(port: Port): void {
    this.onDelete(port);
    for (const ip of port.fixed_ips) this.ctx.ipam.release(this.subnet(ip.subnet_id), ip.ip_address);
    this.ctx.docs.port.delete(port);
  }

  /** For the switch side: a port goes ACTIVE when its VIF is plugged, DOWN when it goes. */
  setStatus(id: string, status: 'ACTIVE' | 'DOWN' | 'BUILD' | 'ERROR'): Port {
    return this.ctx.write(() => {
      const before = visibleOr404(SYSTEM, this.ctx.docs.port.get(id), 'Port', id);
      return before.status === status ? before : this.ctx.docs.port.update(before, { ...before, status });
    });
  }

  private pickMac(asked: string | undefined): string {
    if (asked !== undefined) {
      const mac = canonicalMac(asked);
      if (!mac) throw badRequest(`Invalid input for mac_address. Reason: '${asked}' is not a valid MAC address.`);
      if (this.macTaken.get(mac) !== undefined) {
        throw conflict('MacAddressInUse', `Unable to complete operation for network. The mac address ${mac} is in use.`);
      }
      return mac;
    }
    for (;;) {
      const mac = randomMac(MAC_PREFIX);
      if (this.macTaken.get(mac) === undefined) return mac;
    }
  }

  private allocateIps(network: Network, portId: string, mac: string, requests: FixedIpRequest[] | undefined): FixedIp[] {
    const subnets = this.ctx.docs.subnet.where('network_id', network.id);
    if (requests === undefined) {
      // Like Neutron: one address from the first IPv4 subnet with room, and one from the first IPv6 subnet.
      const out: FixedIp[] = [];
      for (const version of [4, 6]) {
        const candidates = subnets.filter((s) => s.ip_version === version);
        for (const subnet of candidates) {
          const eui64 = autoAddress(subnet, mac);
          if (eui64 !== undefined || this.ctx.ipam.hasFree(subnet)) {
            out.push(this.ctx.ipam.allocate(subnet, portId, eui64));
            break;
          }
        }
        if (candidates.length > 0 && !out.some((ip) => candidates.some((s) => s.id === ip.subnet_id))) {
          throw conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${network.id}.`);
        }
      }
      return out;
    }
    if (requests.length > 0 && subnets.length === 0) {
      throw badRequest(`Invalid input for operation: network ${network.id} has no subnet to allocate fixed_ips from.`);
    }
    return requests.map((r) => this.ctx.ipam.allocate(this.subnetFor(network, subnets, r), portId, r.ip_address));
  }

  /** Keeps the addresses asked for again, frees the others, allocates the new ones. */
  private reallocateIps(port: Port, requests: FixedIpRequest[]): FixedIp[] {
    const network = this.ctx.docs.network.get(port.network_id) as Network;
    const subnets = this.ctx.docs.subnet.where('network_id', network.id);
    const resolved = requests.map((r) => ({ subnet: this.subnetFor(network, subnets, r), ip: r.ip_address && canonicalIp(r.ip_address) }));
    const kept = port.fixed_ips.filter((f) => resolved.some((r) => r.subnet.id === f.subnet_id && r.ip === f.ip_address));
    for (const f of port.fixed_ips) if (!kept.includes(f)) this.ctx.ipam.release(this.subnet(f.subnet_id), f.ip_address);
    const added = resolved
      .filter((r) => !kept.some((k) => k.subnet_id === r.subnet.id && k.ip_address === r.ip))
      .map((r) => this.ctx.ipam.allocate(r.subnet, port.id, r.ip || undefined));
    return [...kept, ...added];
  }

  private subnetFor(network: Network, subnets: Subnet[], request: FixedIpRequest): Subnet {
    if (request.subnet_id !== undefined) {
      const subnet = subnets.find((s) => s.id === request.subnet_id);
      if (!subnet) {
        throw badRequest(`Invalid input for operation: Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${request.subnet_id}.`, 'InvalidInput');
      }
      return subnet;
    }
    const ip = request.ip_address !== undefined ? parseIp(request.ip_address) : undefined;
    if (!ip) throw badRequest('Invalid input for fixed_ips: each entry needs a subnet_id or a valid ip_address.');
    const subnet = subnets.find((s) => cidrContains(parseCidr(s.cidr) as Cidr, ip));
    if (!subnet) {
      throw badRequest(`IP address ${request.ip_address} is not a valid IP for any subnet on network ${network.id}.`, 'InvalidIpForNetwork');
    }
    return subnet;
  }

  private subnet(id: string): Subnet {
    return this.ctx.docs.subnet.get(id) as Subnet;
  }
}

/** SLAAC and DHCPv6-stateless subnets give a port its EUI-64 address (prefix + MAC), as Neutron does. */
function autoAddress(subnet: Subnet, mac: string): string | undefined {
  if (subnet.ipv6_address_mode !== 'slaac' && subnet.ipv6_address_mode !== 'dhcpv6-stateless') return undefined;
  const cidr = parseCidr(subnet.cidr) as Cidr;
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const iid = [b[0] ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]].reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
  return formatIp(6, cidr.network | iid);
}

function normalisePairs(pairs: { ip_address: string; mac_address?: string }[], portMac: string): AddressPair[] {
  return pairs.map((p) => {
    const cidr = parseCidr(p.ip_address, { allowHostBits: true });
    if (!cidr) throw badRequest(`Invalid input for allowed_address_pairs. Reason: '${p.ip_address}' is not a valid IP or CIDR.`);
    const full = cidr.prefixLength === (cidr.version === 4 ? 32 : 128);
    const mac = p.mac_address === undefined ? portMac : canonicalMac(p.mac_address);
    if (!mac) throw badRequest(`Invalid input for allowed_address_pairs. Reason: '${p.mac_address}' is not a valid MAC address.`);
    return { ip_address: full ? (canonicalIp(p.ip_address.split('/')[0]) as string) : formatCidr(cidr), mac_address: mac };
  });
}

function checkPortSecurity(enabled: boolean, groups: string[], pairs: AddressPair[]): void {
  if (enabled) return;
  if (groups.length > 0) {
    throw conflict('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled and port must have an IP address in order to use security groups.');
  }
  if (pairs.length > 0) {
    throw conflict('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
  }
}

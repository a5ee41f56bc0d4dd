import { adminOr403, baseFields, ownedOr403, visibleOr404 } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict, NeutronError } from './errors.js';
import { cidrsOverlap, parseCidr, type Cidr } from './ip.js';
import type { FixedIpRequest, Ports } from './ports.js';
import type { Caller, ExternalGatewayInfo, HostRoute, Network, Port, Router, Subnet } from './types.js';

export interface GatewayInput {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: FixedIpRequest[];
}

export interface RouterInput {
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  admin_state_up?: boolean;
  distributed?: boolean;
  ha?: boolean;
  external_gateway_info?: Partial<GatewayInput> | null;
  routes?: HostRoute[];
}

export interface InterfaceRequest {
  subnet_id?: string;
  port_id?: string;
}

/** What Neutron answers to add/remove_router_interface. */
export interface InterfaceInfo {
  id: string;
  subnet_id: string;
  subnet_ids: string[];
  port_id: string;
  network_id: string;
  tenant_id: string;
  project_id: string;
}

const INTERFACE_OWNERS = new Set(['network:router_interface', 'network:router_interface_distributed']);

export class Routers {
  constructor(
    private readonly ctx: StoreContext,
    private readonly ports: Ports,
  ) {}

  list(caller: Caller): Router[] {
    return caller.admin ? this.ctx.docs.router.all() : this.ctx.docs.router.where('project_id', caller.projectId);
  }

  get(caller: Caller, id: string): Router {
    return visibleOr404(caller, this.ctx.docs.router.get(id), 'Router', id);
  }

  create(caller: Caller, input: RouterInput): Router {
    return this.ctx.write(() => {
      if (input.distributed !== undefined) adminOr403(caller, 'create_router:distributed');
      const router: Router = {
        ...baseFields(caller, input, 'create_router'),
        admin_state_up: input.admin_state_up ?? true,
        status: 'ACTIVE',
        distributed: input.distributed ?? this.ctx.options.distributedRoutersByDefault,
        ha: input.ha ?? false,
        external_gateway_info: null,
        routes: [],
      };
      this.ctx.docs.router.insert(router);
      const gateway = input.external_gateway_info;
      return gateway?.network_id ? this.setGateway(caller, router, { ...gateway, network_id: gateway.network_id }) : router;
    });
  }

  update(caller: Caller, id: string, input: RouterInput): Router {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.router.get(id), 'Router', id, 'update_router');
      if (input.distributed !== undefined && input.distributed !== before.distributed) {
        adminOr403(caller, 'update_router:distributed');
      }
      const { external_gateway_info: gateway, routes, project_id: _p, tenant_id: _t, ...plain } = input;
      let router = this.ctx.docs.router.update(before, { ...before, ...plain });
      if (routes !== undefined) router = this.ctx.docs.router.update(router, { ...router, routes: this.checkRoutes(router, routes) });
      if (gateway === undefined) return router;
      if (gateway?.network_id) return this.setGateway(caller, router, { ...gateway, network_id: gateway.network_id });
      return this.clearGateway(router);
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const router = ownedOr403(caller, this.ctx.docs.router.get(id), 'Router', id, 'delete_router');
      if (this.interfaces(id).length > 0) {
        throw conflict('RouterInUse', `Router ${id} still has ports`);
      }
      this.ctx.docs.router.delete(this.clearGateway(router));
    });
  }

  addInterface(caller: Caller, id: string, request: InterfaceRequest): InterfaceInfo {
    return this.ctx.write(() => {
      const router = ownedOr403(caller, this.ctx.docs.router.get(id), 'Router', id, 'add_router_interface');
      if ((request.subnet_id === undefined) === (request.port_id === undefined)) {
        throw badRequest('Bad router request: Either subnet_id or port_id must be specified, not both.');
      }
      const port = request.port_id !== undefined
        ? this.adoptPort(caller, router, request.port_id)
        : this.interfacePortFor(caller, router, request.subnet_id as string);
      return interfaceInfo(router, port, request.subnet_id ?? port.fixed_ips[0].subnet_id);
    });
  }

  removeInterface(caller: Caller, id: string, request: InterfaceRequest): InterfaceInfo {
    return this.ctx.write(() => {
      const router = ownedOr403(caller, this.ctx.docs.router.get(id), 'Router', id, 'remove_router_interface');
      const ifaces = this.interfaces(id);
      let port: Port | undefined;
      if (request.port_id !== undefined) {
        port = ifaces.find((p) => p.id === request.port_id);
        if (!port) {
          throw new NeutronError(404, 'RouterInterfaceNotFound', `Router ${id} does not have an interface with id ${request.port_id}`);
        }
      } else if (request.subnet_id !== undefined) {
        port = ifaces.find((p) => p.fixed_ips.some((f) => f.subnet_id === request.subnet_id));
        if (!port) {
          throw new NeutronError(404, 'RouterInterfaceNotFoundForSubnet', `Router ${id} has no interface on subnet ${request.subnet_id}`);
        }
      } else {
        throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
      }
      this.refuseIfFloatingIpsNeed(router, port);
      const info = interfaceInfo(router, port, request.subnet_id ?? port.fixed_ips[0]?.subnet_id ?? '');
      this.ports.remove(port);
      return info;
    });
  }

  /** The router's interface ports (not its gateway port). */
  interfaces(routerId: string): Port[] {
    return this.ctx.docs.port.where('device_id', routerId).filter((p) => INTERFACE_OWNERS.has(p.device_owner));
  }

  private interfacePortFor(caller: Caller, router: Router, subnetId: string): Port {
    const subnet = ownedOr403(caller, this.ctx.docs.subnet.get(subnetId), 'Subnet', subnetId, 'add_router_interface');
    if (!subnet.gateway_ip) {
      throw badRequest(`Bad router request: Subnet for router interface must have a gateway IP.`);
    }
    this.refuseOverlap(router, [subnet]);
    return this.ports.create(caller.admin ? { projectId: router.project_id, admin: true } : caller, {
      project_id: router.project_id,
      network_id: subnet.network_id,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
      device_id: router.id,
      device_owner: this.interfaceOwner(router),
      security_groups: [],
    });
  }

  private adoptPort(caller: Caller, router: Router, portId: string): Port {
    const port = ownedOr403(caller, this.ctx.docs.port.get(portId), 'Port', portId, 'add_router_interface');
    if (port.device_id || port.device_owner) {
      throw conflict('PortInUse', `Unable to complete operation on port ${portId} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`);
    }
    if (port.fixed_ips.length === 0) throw badRequest(`Bad router request: Router port must have at least one fixed IP.`);
    this.refuseOverlap(router, port.fixed_ips.map((f) => this.ctx.docs.subnet.get(f.subnet_id) as Subnet));
    return this.ctx.docs.port.update(port, {
      ...port,
      device_id: router.id,
      device_owner: this.interfaceOwner(router),
      security_groups: [],
      port_security_enabled: false,
      allowed_address_pairs: [],
    });
  }

  private interfaceOwner(router: Router): string {
    return router.distributed ? 'network:router_interface_distributed' : 'network:router_interface';
  }

  /** A router cannot route between overlapping subnets, nor have two interfaces on one subnet. */
  private refuseOverlap(router: Router, subnets: Subnet[]): void {
    for (const iface of this.interfaces(router.id)) {
      for (const fixed of iface.fixed_ips) {
        const existing = this.ctx.docs.subnet.get(fixed.subnet_id) as Subnet;
        for (const subnet of subnets) {
          if (existing.id === subnet.id) {
            throw badRequest(`Bad router request: Router already has a port on subnet ${subnet.id}.`);
          }
          if (cidrsOverlap(parseCidr(existing.cidr) as Cidr, parseCidr(subnet.cidr) as Cidr)) {
            throw badRequest(`Bad router request: Cidr ${subnet.cidr} of subnet ${subnet.id} overlaps with cidr ${existing.cidr} of subnet ${existing.id}.`);
          }
        }
      }
    }
  }

  private setGateway(caller: Caller, router: Router, input: GatewayInput): Router {
    const network = visibleOr404(caller, this.ctx.docs.network.get(input.network_id), 'Network', input.network_id);
    if (!network['router:external']) {
      throw badRequest(`Bad router request: Network ${network.id} is not a valid external network.`);
    }
    const current = router.external_gateway_info;
    const enableSnat = input.enable_snat ?? current?.enable_snat ?? true;
    if (current && current.network_id === network.id && input.external_fixed_ips === undefined) {
      return this.ctx.docs.router.update(router, { ...router, external_gateway_info: { ...current, enable_snat: enableSnat } });
    }
    let cleared = router;
    if (current) {
      if (current.network_id !== network.id) cleared = this.clearGateway(router);
      else this.removeGatewayPort(router);
    }
    const port = this.createGatewayPort(router, network, input.external_fixed_ips);
    const info: ExternalGatewayInfo = { network_id: network.id, enable_snat: enableSnat, external_fixed_ips: port.fixed_ips };
    return this.ctx.docs.router.update(cleared, { ...cleared, external_gateway_info: info });
  }

  private createGatewayPort(router: Router, network: Network, fixedIps: FixedIpRequest[] | undefined): Port {
    const subnets = this.ctx.docs.subnet.where('network_id', network.id).filter((s) => s.ip_version === 4);
    if (subnets.length === 0 && fixedIps === undefined) {
      throw badRequest(`Bad router request: No subnets found on external network ${network.id}.`);
    }
    return this.ports.create({ projectId: router.project_id, admin: true }, {
      project_id: router.project_id,
      network_id: network.id,
      fixed_ips: fixedIps ?? [{ subnet_id: subnets[0].id }],
      device_id: router.id,
      device_owner: 'network:router_gateway',
      security_groups: [],
    });
  }

  private clearGateway(router: Router): Router {
    if (!router.external_gateway_info) return router;
    if (this.ctx.docs.floatingip.all().some((f) => f.router_id === router.id)) {
      throw conflict('RouterExternalGatewayInUseByFloatingIp', `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.external_gateway_info.network_id} is required by one or more floating IPs.`);
    }
    this.removeGatewayPort(router);
    return this.ctx.docs.router.update(router, { ...router, external_gateway_info: null });
  }

  private removeGatewayPort(router: Router): void {
    for (const port of this.ctx.docs.port.where('device_id', router.id)) {
      if (port.device_owner === 'network:router_gateway') this.ports.remove(port);
    }
  }

  private refuseIfFloatingIpsNeed(router: Router, port: Port): void {
    const subnets = new Set(port.fixed_ips.map((f) => f.subnet_id));
    for (const fip of this.ctx.docs.floatingip.all()) {
      if (fip.router_id !== router.id || !fip.port_id) continue;
      const inner = this.ctx.docs.port.get(fip.port_id);
      if (inner?.fixed_ips.some((f) => f.ip_address === fip.fixed_ip_address && subnets.has(f.subnet_id))) {
        throw conflict('RouterInterfaceInUseByFloatingIP', `Router interface for subnet ${[...subnets][0]} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`);
      }
    }
  }

  private checkRoutes(router: Router, routes: HostRoute[]): HostRoute[] {
    const connected = this.interfaces(router.id).flatMap((p) => p.fixed_ips.map((f) => parseCidr((this.ctx.docs.subnet.get(f.subnet_id) as Subnet).cidr) as Cidr));
    return routes.map((r) => {
      const dest = parseCidr(r.destination);
      const hop = parseCidr(r.nexthop);
      if (!dest || !hop || !connected.some((c) => cidrsOverlap(c, hop))) {
        throw badRequest(`Invalid format for routes: ${JSON.stringify(r)}, the nexthop is not connected with router`, 'InvalidRoutes');
      }
      return { destination: r.destination, nexthop: r.nexthop };
    });
  }
}

function interfaceInfo(router: Router, port: Port, subnetId: string): InterfaceInfo {
  return {
    id: router.id,
    subnet_id: subnetId,
    subnet_ids: port.fixed_ips.map((f) => f.subnet_id),
    port_id: port.id,
    network_id: port.network_id,
    tenant_id: router.project_id,
    project_id: router.project_id,
  };
}

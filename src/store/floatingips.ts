import { baseFields, ownedOr403, visibleOr404 } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict, NeutronError } from './errors.js';
import { canonicalIp } from './ip.js';
import type { Ports } from './ports.js';
import type { Routers } from './routers.js';
import { SYSTEM, type Caller, type FloatingIp, type Port } from './types.js';

export interface FloatingIpInput {
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  floating_network_id?: string;
  floating_ip_address?: string;
  subnet_id?: string;
  port_id?: string | null;
  fixed_ip_address?: string | null;
}

export class FloatingIps {
  constructor(
    private readonly ctx: StoreContext,
    private readonly ports: Ports,
    private readonly routers: Routers,
  ) {}

  list(caller: Caller): FloatingIp[] {
    return caller.admin ? this.ctx.docs.floatingip.all() : this.ctx.docs.floatingip.where('project_id', caller.projectId);
  }

  get(caller: Caller, id: string): FloatingIp {
    return visibleOr404(caller, this.ctx.docs.floatingip.get(id), 'Floating IP', id);
  }

  create(caller: Caller, input: FloatingIpInput): FloatingIp {
    return this.ctx.write(() => {
      const netId = input.floating_network_id;
      if (!netId) throw badRequest("Failed to parse request. Required attribute 'floating_network_id' not specified");
      const network = visibleOr404(caller, this.ctx.docs.network.get(netId), 'Network', netId);
      if (!network['router:external']) {
        throw badRequest(`Bad floatingip request: Network ${netId} is not a valid external network.`);
      }
      const base = baseFields(caller, input, 'create_floatingip');
      const subnets = this.ctx.docs.subnet.where('network_id', netId).filter((s) => s.ip_version === 4);
      const subnet = input.subnet_id !== undefined ? subnets.find((s) => s.id === input.subnet_id) : subnets[0];
      if (!subnet) throw badRequest(`Bad floatingip request: no IPv4 subnet to allocate from on network ${netId}.`);
      const holder = this.ports.create({ projectId: base.project_id, admin: true }, {
        project_id: base.project_id,
        network_id: netId,
        fixed_ips: [{ subnet_id: subnet.id, ...(input.floating_ip_address ? { ip_address: input.floating_ip_address } : {}) }],
        device_id: base.id,
        device_owner: 'network:floatingip',
        security_groups: [],
      });
      const fip: FloatingIp = {
        ...base,
        name: '',
        floating_network_id: netId,
        floating_ip_address: holder.fixed_ips[0].ip_address,
        router_id: null,
        port_id: null,
        fixed_ip_address: null,
        status: 'DOWN',
      };
      if (input.port_id) Object.assign(fip, this.association(caller, fip, input.port_id, input.fixed_ip_address ?? undefined));
      return this.ctx.docs.floatingip.insert(fip);
    });
  }

  update(caller: Caller, id: string, input: FloatingIpInput): FloatingIp {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.floatingip.get(id), 'Floating IP', id, 'update_floatingip');
      const after: FloatingIp = { ...before };
      if (input.description !== undefined) after.description = input.description;
      if (input.tags !== undefined) after.tags = input.tags;
      if (input.port_id === null) Object.assign(after, { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' });
      else if (input.port_id !== undefined) {
        Object.assign(after, this.association(caller, before, input.port_id, input.fixed_ip_address ?? undefined));
      }
      return this.ctx.docs.floatingip.update(before, after);
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const fip = ownedOr403(caller, this.ctx.docs.floatingip.get(id), 'Floating IP', id, 'delete_floatingip');
      for (const holder of this.ctx.docs.port.where('device_id', id)) this.ports.remove(holder);
      this.ctx.docs.floatingip.delete(fip);
    });
  }

  /** Internal: a port going away takes its floating IP associations with it. */
  disassociatePort(port: Port): void {
    for (const fip of this.ctx.docs.floatingip.where('port_id', port.id)) {
      this.ctx.docs.floatingip.update(fip, { ...fip, port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' });
    }
  }

  /** For the L3 side: ACTIVE once the NAT flows are in place. */
  setStatus(id: string, status: 'ACTIVE' | 'DOWN' | 'ERROR'): FloatingIp {
    return this.ctx.write(() => {
      const before = visibleOr404(SYSTEM, this.ctx.docs.floatingip.get(id), 'Floating IP', id);
      return before.status === status ? before : this.ctx.docs.floatingip.update(before, { ...before, status });
    });
  }

  /** Finds the fixed IP and the router that connects it to the floating network. */
  private association(caller: Caller, fip: FloatingIp, portId: string, fixedIp: string | undefined): Partial<FloatingIp> {
    const port = ownedOr403(caller, this.ctx.docs.port.get(portId), 'Port', portId, 'update_floatingip');
    const v4 = port.fixed_ips.filter((f) => !f.ip_address.includes(':'));
    let chosen = v4[0];
    if (fixedIp !== undefined) {
      const wanted = canonicalIp(fixedIp);
      chosen = v4.find((f) => f.ip_address === wanted) as typeof chosen;
      if (!chosen) throw badRequest(`Bad floatingip request: Port ${portId} does not have fixed ip ${fixedIp}.`);
    }
    if (!chosen) throw badRequest(`Bad floatingip request: Port ${portId} does not have any IPv4 fixed IP.`);
    const router = this.ctx.docs.router.all().find((r) =>
      r.external_gateway_info?.network_id === fip.floating_network_id
      && this.routers.interfaces(r.id).some((i) => i.fixed_ips.some((f) => f.subnet_id === chosen.subnet_id)));
    if (!router) {
      throw new NeutronError(404, 'ExternalGatewayForFloatingIPNotFound',
        `External network ${fip.floating_network_id} is not reachable from subnet ${chosen.subnet_id}. Therefore, cannot associate Port ${portId} with a Floating IP.`);
    }
    const taken = this.ctx.docs.floatingip.where('port_id', portId)
      .find((f) => f.id !== fip.id && f.fixed_ip_address === chosen.ip_address);
    if (taken) {
      throw conflict('FloatingIPPortAlreadyAssociated', `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${portId} using fixed IP ${chosen.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`);
    }
    return { port_id: portId, fixed_ip_address: chosen.ip_address, router_id: router.id };
  }
}

import { adminOr403, baseFields, ownedOr403, visibleOr404 } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import type { ProviderInput, Segments } from './segments.js';
import type { Caller, Network, NetworkType } from './types.js';

export interface NetworkInput extends ProviderInput {
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  admin_state_up?: boolean;
  shared?: boolean;
  'router:external'?: boolean;
  mtu?: number;
  port_security_enabled?: boolean;
}

const VXLAN_OVERHEAD = 50;

export class Networks {
  constructor(
    private readonly ctx: StoreContext,
    private readonly segments: Segments,
    private readonly onDelete: (network: Network) => void,
  ) {}

  list(caller: Caller): Network[] {
    if (caller.admin) return this.ctx.docs.network.all();
    return this.ctx.docs.network.all().filter((n) => n.project_id === caller.projectId || n.shared || n['router:external']);
  }

  get(caller: Caller, id: string): Network {
    return visibleOr404(caller, this.ctx.docs.network.get(id), 'Network', id);
  }

  create(caller: Caller, input: NetworkInput): Network {
    return this.ctx.write(() => {
      if (input.shared) adminOr403(caller, 'create_network:shared');
      if (input['router:external']) adminOr403(caller, 'create_network:router:external');
      const base = baseFields(caller, input, 'create_network');
      const segment = this.segments.reserve(caller, base.id, input);
      const maxMtu = this.maxMtu(segment.network_type);
      if (input.mtu !== undefined) this.checkMtu(input.mtu, maxMtu);
      return this.ctx.docs.network.insert({
        ...base,
        admin_state_up: input.admin_state_up ?? true,
        shared: input.shared ?? false,
        'router:external': input['router:external'] ?? false,
        mtu: input.mtu ?? maxMtu,
        status: 'ACTIVE',
        subnets: [],
        port_security_enabled: input.port_security_enabled ?? true,
        'provider:network_type': segment.network_type,
        'provider:physical_network': segment.physical_network,
        'provider:segmentation_id': segment.segmentation_id,
      });
    });
  }

  update(caller: Caller, id: string, input: NetworkInput): Network {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.network.get(id), 'Network', id, 'update_network');
      for (const key of ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'] as const) {
        if (key in input && input[key] !== before[key]) {
          throw badRequest('Plugin does not support updating provider attributes', 'InvalidInput');
        }
      }
      if ('shared' in input && input.shared !== before.shared) adminOr403(caller, 'update_network:shared');
      if ('router:external' in input && input['router:external'] !== before['router:external']) {
        adminOr403(caller, 'update_network:router:external');
        if (!input['router:external'] && this.ctx.docs.floatingip.where('floating_network_id', id).length > 0) {
          throw conflict('NetworkInUse', `Unable to complete operation on network ${id}. There are floating IPs on it.`);
        }
      }
      if (input.mtu !== undefined) this.checkMtu(input.mtu, this.maxMtu(before['provider:network_type']));
      const { project_id: _p, tenant_id: _t, ...changes } = input;
      return this.ctx.docs.network.update(before, { ...before, ...changes });
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const network = ownedOr403(caller, this.ctx.docs.network.get(id), 'Network', id, 'delete_network');
      if (this.ctx.docs.port.where('network_id', id).length > 0) {
        throw conflict(
          'NetworkInUse',
          `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`,
        );
      }
      this.onDelete(network);
      this.segments.release(id);
      this.ctx.docs.network.delete(this.ctx.docs.network.get(id) as Network);
    });
  }

  private maxMtu(type: NetworkType): number {
    return this.ctx.options.globalMtu - (type === 'vxlan' ? VXLAN_OVERHEAD : 0);
  }

  private checkMtu(mtu: number, max: number): void {
    if (mtu < 68 || mtu > max) throw badRequest(`Requested MTU ${mtu} is out of range (68 through ${max})`, 'InvalidInput');
  }

  /** Internal: keeps `network.subnets` in step with the subnets table. */
  setSubnets(id: string, change: (ids: string[]) => string[]): void {
    const before = this.ctx.docs.network.get(id) as Network;
    this.ctx.docs.network.update(before, { ...before, subnets: change(before.subnets) });
  }
}

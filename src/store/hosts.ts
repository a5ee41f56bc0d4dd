import { adminOr403, baseFields } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict, notFound } from './errors.js';
import { canonicalIp } from './ip.js';
import { formatMac, mac } from '../openflow/oxm/addresses.js';
import { canonicalMac } from './mac.js';
import type { Caller, Host } from './types.js';

export interface HostInput {
  name?: string;
  description?: string;
  tunnel_ip?: string | null;
  bridge_mappings?: Record<string, string>;
  dvr_host_mac?: string;
}


/** Hosts the controller programs, each with its unique DVR MAC. Admin only. */
export class Hosts {
  constructor(private readonly ctx: StoreContext) {}

  list(caller: Caller): Host[] {
    adminOr403(caller, 'get_host');
    return this.ctx.docs.host.all();
  }

  /** By id or by name. */
  get(caller: Caller, idOrName: string): Host {
    adminOr403(caller, 'get_host');
    const host = this.ctx.docs.host.get(idOrName) ?? this.ctx.docs.host.where('name', idOrName)[0];
    if (!host) throw notFound('Host', idOrName);
    return host;
  }

  create(caller: Caller, input: HostInput): Host {
    return this.ctx.write(() => {
      adminOr403(caller, 'create_host');
      if (!input.name) throw badRequest("Failed to parse request. Required attribute 'name' not specified");
      if (this.ctx.docs.host.where('name', input.name).length > 0) {
        throw conflict('HostExists', `A host named ${input.name} already exists.`);
      }
      const host: Host = {
        ...baseFields(caller, { name: input.name, description: input.description }, 'create_host'),
        tunnel_ip: checkTunnelIp(input.tunnel_ip),
        bridge_mappings: input.bridge_mappings ?? {},
        dvr_host_mac: input.dvr_host_mac === undefined ? this.nextDvrMac() : this.checkDvrMac(input.dvr_host_mac),
      };
      return this.ctx.docs.host.insert(host);
    });
  }

  update(caller: Caller, idOrName: string, input: HostInput): Host {
    return this.ctx.write(() => {
      const before = this.get(caller, idOrName);
      if (input.name !== undefined && input.name !== before.name) throw badRequest('A host cannot be renamed.');
      const after: Host = { ...before };
      if (input.description !== undefined) after.description = input.description;
      if (input.tunnel_ip !== undefined) after.tunnel_ip = checkTunnelIp(input.tunnel_ip);
      if (input.bridge_mappings !== undefined) after.bridge_mappings = input.bridge_mappings;
      if (input.dvr_host_mac !== undefined && input.dvr_host_mac.toLowerCase() !== before.dvr_host_mac) {
        after.dvr_host_mac = this.checkDvrMac(input.dvr_host_mac);
      }
      return this.ctx.docs.host.update(before, after);
    });
  }

  delete(caller: Caller, idOrName: string): void {
    this.ctx.write(() => {
      const host = this.get(caller, idOrName);
      this.ctx.db.prepare('DELETE FROM local_vlans WHERE host = ?').run(host.name);
      this.ctx.docs.host.delete(host);
    });
  }

  private checkDvrMac(text: string): string {
    const mac = canonicalMac(text);
    if (!mac) throw badRequest(`Invalid input for dvr_host_mac. Reason: '${text}' is not a valid MAC address.`);
    if (this.ctx.docs.host.where('dvr_host_mac', mac).length > 0) {
      throw conflict('DVRMacAddressInUse', `DVR MAC address ${mac} is in use by another host.`);
    }
    return mac;
  }

  private nextDvrMac(): string {
    const base = mac(this.ctx.options.dvrBaseMac);
    const used = new Set(this.ctx.docs.host.all().map((h) => mac(h.dvr_host_mac)));
    // Upwards from the base, staying inside its three-byte prefix.
    const span = 0xffffff - (base & 0xffffff);
    for (let offset = 1; offset <= span; offset++) {
      const candidate = base + offset;
      if (!used.has(candidate)) return formatMac(candidate);
    }
    throw conflict('MacAddressGenerationFailure', 'No DVR MAC address is left in the configured range.');
  }
}

function checkTunnelIp(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const ip = canonicalIp(text);
  if (!ip) throw badRequest(`Invalid input for tunnel_ip. Reason: '${text}' is not a valid IP address.`);
  return ip;
}

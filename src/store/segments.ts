import type { Database, Statement } from 'better-sqlite3';
import type { ResolvedOptions } from './context.js';
import { adminOr403 } from './access.js';
import { NeutronError, badRequest, conflict } from './errors.js';
import type { Caller, NetworkType } from './types.js';

export interface Segment {
  network_type: NetworkType;
  physical_network: string | null;
  segmentation_id: number | null;
}

export interface ProviderInput {
  'provider:network_type'?: NetworkType;
  'provider:physical_network'?: string | null;
  'provider:segmentation_id'?: number | null;
}

const MAX_VNI = 2 ** 24 - 1;

/** Network segments: validates provider attributes, allocates tenant segments, refuses collisions. */
export class Segments {
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly ownerStmt: Statement;
  private readonly usedStmt: Statement;

  constructor(
    db: Database,
    private readonly options: ResolvedOptions,
  ) {
    this.insertStmt = db.prepare(
      'INSERT INTO segments (network_type, physical_network, segmentation_id, network_id) VALUES (?, ?, ?, ?)',
    );
    this.deleteStmt = db.prepare('DELETE FROM segments WHERE network_id = ?');
    this.ownerStmt = db
      .prepare('SELECT network_id FROM segments WHERE network_type = ? AND physical_network = ? AND segmentation_id = ?')
      .pluck();
    this.usedStmt = db
      .prepare(
        `SELECT segmentation_id FROM segments WHERE network_type = ? AND physical_network = ?
         AND segmentation_id BETWEEN ? AND ? ORDER BY segmentation_id`,
      )
      .pluck();
  }

  /** Reserves the segment of a new network: the one an admin asked for, or one from the tenant ranges. */
  reserve(caller: Caller, networkId: string, input: ProviderInput): Segment {
    const asked = Object.keys(input).some((k) => k.startsWith('provider:') && input[k as keyof ProviderInput] != null);
    if (asked) {
      adminOr403(caller, 'create_network:provider:network_type');
      const segment = this.validate(input);
      this.claim(networkId, segment);
      return segment;
    }
    for (const type of this.options.tenantNetworkTypes) {
      const segment = this.allocate(type);
      if (segment) {
        this.claim(networkId, segment);
        return segment;
      }
    }
    throw new NeutronError(
      503,
      'NoNetworkAvailable',
      'Unable to create the network. No tenant network is available for allocation.',
    );
  }

  release(networkId: string): void {
    this.deleteStmt.run(networkId);
  }

  private validate(input: ProviderInput): Segment {
    const type = input['provider:network_type'];
    const physnet = input['provider:physical_network'] ?? null;
    const segId = input['provider:segmentation_id'] ?? null;
    if (!type) throw badRequest('provider:network_type required');
    const noSegId = (): void => {
      if (segId !== null) throw badRequest(`segmentation_id specified for ${type} network`, 'InvalidInput');
    };
    const needPhysnet = (): string => {
      if (!physnet) throw badRequest(`physical_network required for ${type} provider network`, 'InvalidInput');
      if (this.options.physicalNetworks && !this.options.physicalNetworks.includes(physnet)) {
        throw badRequest(`physical_network '${physnet}' unknown for ${type} provider network`, 'InvalidInput');
      }
      return physnet;
    };
    switch (type) {
      case 'local':
        noSegId();
        if (physnet) throw badRequest('physical_network specified for local network', 'InvalidInput');
        return { network_type: 'local', physical_network: null, segmentation_id: null };
      case 'flat':
        noSegId();
        return { network_type: 'flat', physical_network: needPhysnet(), segmentation_id: null };
      case 'vlan': {
        if (segId === null) {
          const found = physnet ? this.allocateVlan(needPhysnet()) : this.allocate('vlan');
          if (!found) throw conflict('NoNetworkAvailable', 'No VLAN is free in the configured ranges.');
          return found;
        }
        if (!Number.isInteger(segId) || segId < 1 || segId > 4094) {
          throw badRequest(`segmentation_id out of range (1 through 4094)`, 'InvalidInput');
        }
        return { network_type: 'vlan', physical_network: needPhysnet(), segmentation_id: segId };
      }
      case 'vxlan': {
        if (physnet) throw badRequest('provider:physical_network specified for vxlan network', 'InvalidInput');
        if (segId === null) {
          const found = this.allocate('vxlan');
          if (!found) throw conflict('NoNetworkAvailable', 'No VNI is free in the configured ranges.');
          return found;
        }
        if (!Number.isInteger(segId) || segId < 1 || segId > MAX_VNI) {
          throw badRequest(`segmentation_id out of range (1 through ${MAX_VNI})`, 'InvalidInput');
        }
        return { network_type: 'vxlan', physical_network: null, segmentation_id: segId };
      }
      default:
        throw badRequest(`network_type value '${String(type)}' not supported`, 'InvalidInput');
    }
  }

  private claim(networkId: string, s: Segment): void {
    if (s.network_type === 'local') return;
    const physnet = s.physical_network ?? '';
    const segId = s.segmentation_id ?? 0;
    const owner = this.ownerStmt.get(s.network_type, physnet, segId) as string | undefined;
    if (owner !== undefined) {
      if (s.network_type === 'flat') {
        throw conflict('FlatNetworkInUse', `Unable to create the flat network. Physical network ${physnet} is in use.`);
      }
      if (s.network_type === 'vlan') {
        throw conflict(
          'VlanIdInUse',
          `Unable to create the network. The VLAN ${segId} on physical network ${physnet} is in use.`,
        );
      }
      throw conflict('TunnelIdInUse', `Unable to create the network. The tunnel ID ${segId} is in use.`);
    }
    this.insertStmt.run(s.network_type, physnet, segId, networkId);
  }

  private allocate(type: NetworkType): Segment | undefined {
    if (type === 'local') return { network_type: 'local', physical_network: null, segmentation_id: null };
    if (type === 'vxlan') {
      const vni = this.lowestFree('vxlan', '', this.options.vniRanges);
      return vni === undefined ? undefined : { network_type: 'vxlan', physical_network: null, segmentation_id: vni };
    }
    if (type === 'vlan') {
      for (const physnet of Object.keys(this.options.vlanRanges)) {
        const found = this.allocateVlan(physnet);
        if (found) return found;
      }
    }
    return undefined;
  }

  private allocateVlan(physnet: string): Segment | undefined {
    const vid = this.lowestFree('vlan', physnet, this.options.vlanRanges[physnet] ?? []);
    return vid === undefined ? undefined : { network_type: 'vlan', physical_network: physnet, segmentation_id: vid };
  }

  /** The lowest id in the ranges not used yet; walks only the used ids of the range, in order. */
  private lowestFree(type: string, physnet: string, ranges: [number, number][]): number | undefined {
    for (const [min, max] of ranges) {
      let candidate = min;
      for (const used of this.usedStmt.all(type, physnet, min, max) as number[]) {
        if (used > candidate) break;
        candidate = used + 1;
      }
      if (candidate <= max) return candidate;
    }
    return undefined;
  }
}

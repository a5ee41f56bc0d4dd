import type { Database, Statement } from 'better-sqlite3';
import { badRequest, conflict } from './errors.js';
import { FreeRanges } from './free-ranges.js';
import { cidrContains, formatIp, lastAddress, parseCidr, parseIp, type Cidr } from './ip.js';
import type { FixedIp, Subnet } from './types.js';

/**
 * IP address management. `ip_allocations` is the truth (its primary key refuses a duplicate); the free ranges of
 * each subnet are kept in memory, built on first use from the pools minus the allocations, so picking an
 * address never scans the addresses in use. After a rolled-back transaction the cache is dropped and rebuilt.
 */
export class Ipam {
  private readonly free = new Map<string, FreeRanges>();
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly usedInSubnet: Statement;
  private readonly byPort: Statement;
  private readonly existsStmt: Statement;
  private readonly countInSubnet: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare('INSERT INTO ip_allocations (subnet_id, ip_address, port_id) VALUES (?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM ip_allocations WHERE subnet_id = ? AND ip_address = ?');
    this.usedInSubnet = db.prepare('SELECT ip_address FROM ip_allocations WHERE subnet_id = ?').pluck();
    this.byPort = db.prepare('SELECT subnet_id, ip_address FROM ip_allocations WHERE port_id = ?');
    this.existsStmt = db.prepare('SELECT port_id FROM ip_allocations WHERE subnet_id = ? AND ip_address = ?').pluck();
    this.countInSubnet = db.prepare('SELECT count(*) FROM ip_allocations WHERE subnet_id = ?').pluck();
  }

  /** Allocates `requested` (any address of the subnet but its network/broadcast address) or the next free one. */
  allocate(subnet: Subnet, portId: string, requested?: string): FixedIp {
    const cidr = parseCidr(subnet.cidr) as Cidr;
    let value: bigint;
    if (requested !== undefined) {
      const ip = parseIp(requested);
      if (!ip || !cidrContains(cidr, ip) || !isHostAddress(cidr, ip.value)) {
        throw badRequest(`IP address ${requested} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
      }
      value = ip.value;
      const text = formatIp(cidr.version, value);
      if (this.existsStmt.get(subnet.id, text) !== undefined) {
        throw conflict(
          'IpAddressAlreadyAllocated',
          `IP address ${text} already allocated in subnet ${subnet.id}`,
        );
      }
      this.rangesOf(subnet).take(value);
    } else {
      const next = this.rangesOf(subnet).takeFirst();
      if (next === undefined) {
        throw conflict(
          'IpAddressGenerationFailure',
          `No more IP addresses available on network ${subnet.network_id}.`,
        );
      }
      value = next;
    }
    const ipAddress = formatIp(cidr.version, value);
    this.insertStmt.run(subnet.id, ipAddress, portId);
    return { subnet_id: subnet.id, ip_address: ipAddress };
  }

  release(subnet: Subnet, ipAddress: string): void {
    this.deleteStmt.run(subnet.id, ipAddress);
    const ip = parseIp(ipAddress);
    const ranges = this.free.get(subnet.id);
    if (ip && ranges && inPools(subnet, ip.value)) ranges.give(ip.value);
  }

  /** Unindexed since schema 2 (a scan): a port's doc is where its addresses are read from. */
  allocationsOfPort(portId: string): FixedIp[] {
    return this.byPort.all(portId) as FixedIp[];
  }

  inUse(subnetId: string): number {
    return this.countInSubnet.get(subnetId) as number;
  }

  hasFree(subnet: Subnet): boolean {
    return !this.rangesOf(subnet).isEmpty;
  }

  /** Forget cached state: for one subnet whose pools changed, or all after a rollback. */
  invalidate(subnetId?: string): void {
    if (subnetId === undefined) this.free.clear();
    else this.free.delete(subnetId);
  }

  private rangesOf(subnet: Subnet): FreeRanges {
    let ranges = this.free.get(subnet.id);
    if (!ranges) {
      const used = (this.usedInSubnet.all(subnet.id) as string[]).map((t) => (parseIp(t) as { value: bigint }).value);
      ranges = new FreeRanges(poolBounds(subnet), used);
      this.free.set(subnet.id, ranges);
    }
    return ranges;
  }
}

export function poolBounds(subnet: Pick<Subnet, 'allocation_pools'>): [bigint, bigint][] {
  return subnet.allocation_pools.map((p) => [
    (parseIp(p.start) as { value: bigint }).value,
    (parseIp(p.end) as { value: bigint }).value,
  ]);
}

function inPools(subnet: Subnet, value: bigint): boolean {
  return poolBounds(subnet).some(([a, b]) => value >= a && value <= b);
}

/** Not the network address, nor (IPv4, prefix < 31) the broadcast address. */
export function isHostAddress(cidr: Cidr, value: bigint): boolean {
  if (cidr.version === 4 && cidr.prefixLength >= 31) return true;
  if (value === cidr.network) return false;
  return !(cidr.version === 4 && value === lastAddress(cidr));
}

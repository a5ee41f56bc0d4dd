import { randomUUID } from 'node:crypto';
import { timestamp } from './doc-table.js';
import { badRequest } from './errors.js';
import { formatCidr, parseCidr } from './ip.js';
import { ICMP_PROTOCOLS, PORT_PROTOCOLS, protocolNumber } from './protocols.js';
import type { SecurityGroupRule } from './types.js';

export interface SecurityGroupRuleInput {
  security_group_id?: string;
  direction?: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string | number | null;
  port_range_min?: number | null;
  port_range_max?: number | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  description?: string;
  project_id?: string;
  tenant_id?: string;
}

/** Validates a rule request and returns the rule as stored; `groupExists` checks a remote_group_id. */
export function buildRule(
  projectId: string,
  input: SecurityGroupRuleInput,
  groupExists: (id: string) => boolean,
): SecurityGroupRule {
  const ethertype = input.ethertype ?? 'IPv4';
  if (input.direction !== 'ingress' && input.direction !== 'egress') {
    throw badRequest(`Invalid input for direction. Reason: '${String(input.direction)}' is not in ['ingress', 'egress'].`);
  }
  const proto = protocolNumber(input.protocol);
  if (proto === null) {
    throw badRequest(`Security group rule protocol ${String(input.protocol)} not supported.`, 'SecurityGroupRuleInvalidProtocol');
  }
  const min = input.port_range_min ?? null;
  const max = input.port_range_max ?? null;
  checkPortRange(proto, min, max);
  let prefix: string | null = null;
  if (input.remote_ip_prefix != null) {
    if (input.remote_group_id != null) {
      throw badRequest('Only remote_ip_prefix or remote_group_id may be provided.', 'SecurityGroupRemoteGroupAndRemoteIpPrefix');
    }
    const cidr = parseCidr(input.remote_ip_prefix, { allowHostBits: true });
    if (!cidr) throw badRequest(`Invalid input for remote_ip_prefix. Reason: '${input.remote_ip_prefix}' is not a valid CIDR.`);
    if ((cidr.version === 4) !== (ethertype === 'IPv4')) {
      throw badRequest(`Conflicting value ethertype ${ethertype} for CIDR ${input.remote_ip_prefix}`, 'SecurityGroupRuleParameterConflict');
    }
    prefix = formatCidr(cidr);
  }
  if (input.remote_group_id != null && !groupExists(input.remote_group_id)) {
    throw badRequest(`Security group ${input.remote_group_id} does not exist`, 'SecurityGroupNotFound');
  }
  const now = timestamp();
  return {
    id: randomUUID(),
    description: input.description ?? '',
    project_id: projectId,
    tenant_id: projectId,
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 0,
    security_group_id: input.security_group_id as string,
    direction: input.direction,
    ethertype,
    protocol: input.protocol === null || input.protocol === undefined ? null : String(input.protocol),
    port_range_min: min,
    port_range_max: max,
    remote_ip_prefix: prefix,
    remote_group_id: input.remote_group_id ?? null,
  };
}

/** Two rules are the same when they match the same traffic, however the protocol was spelled. */
export function ruleKey(r: SecurityGroupRule): string {
  return JSON.stringify([r.direction, r.ethertype, protocolNumber(r.protocol) ?? null, r.port_range_min, r.port_range_max,
    r.remote_ip_prefix, r.remote_group_id]);
}

/** Ports only for port-based protocols (1–65535, min ≤ max); for ICMP, min/max are type/code (0–255). */
function checkPortRange(proto: number | undefined, min: number | null, max: number | null): void {
  if (min === null && max === null) return;
  if (proto !== undefined && ICMP_PROTOCOLS.has(proto)) {
    for (const [name, v] of [['type', min], ['code', max]] as const) {
      if (v !== null && (v < 0 || v > 255)) {
        throw badRequest(`Invalid value for ICMP ${name} ${v}: must be 0 to 255.`, 'SecurityGroupInvalidIcmpValue');
      }
    }
    if (min === null && max !== null) {
      throw badRequest('ICMP code (port-range-max) is provided but ICMP type (port-range-min) is missing.', 'SecurityGroupMissingIcmpType');
    }
    return;
  }
  if (proto === undefined || !PORT_PROTOCOLS.has(proto)) {
    throw badRequest('Port range is only allowed for TCP, UDP, SCTP, DCCP and UDP-Lite rules.', 'SecurityGroupInvalidPortRange');
  }
  if (min === null || max === null || min < 1 || max > 65535 || min > max) {
    throw badRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max and both within 1-65535.', 'SecurityGroupInvalidPortRange');
  }
}

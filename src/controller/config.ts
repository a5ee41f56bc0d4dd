import type { AuthOptions } from '../api/auth.js';
import { DEFAULT_API_HOST, DEFAULT_API_PORT } from '../api/server.js';
import { DHCP_DOMAIN, DHCP_LEASE_SECONDS } from '../config/pipeline.js';
import type { StoreOptions } from '../store/context.js';
import { DEFAULT_OPENFLOW_PORT } from '../switch/server.js';

/** Everything `startController` needs; every field has an embedded default. */
export interface ControllerConfig {
  /** SQLite file of the topology store. */
  dbPath: string;
  store: StoreOptions;
  apiHost: string;
  /** 0 picks a free port (tests). */
  apiPort: number;
  auth: AuthOptions;
  ofHost: string;
  /** 0 picks a free port (tests). */
  ofPort: number;
  /**
   * How long a host's first bridge waits for the host's other bridges before it is attached anyway.
   * Attaching br-int before br-tun is known would compute it without its uplink and delete those flows.
   */
  attachGraceMs: number;
  /**
   * How often each attached bridge is audited: dumped, diffed and repaired (flows deleted or added by hand).
   * Bridges are staggered over the interval; 0 disables the periodic audit.
   */
  auditIntervalMs: number;
  /** Lease time native DHCP grants (Neutron's dhcp_lease_duration). */
  dhcpLeaseSeconds: number;
  /** Domain native DHCP gives VMs with their `host-<ip>` names (Neutron's dns_domain default). */
  dhcpDomain: string;
}

export const DEFAULT_AUDIT_INTERVAL_MS = 60_000;

export const DEFAULT_DB_PATH = 'neutrino.db';

export function controllerConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    dbPath: DEFAULT_DB_PATH,
    store: {},
    apiHost: DEFAULT_API_HOST,
    apiPort: DEFAULT_API_PORT,
    auth: { mode: 'none' },
    ofHost: '0.0.0.0',
    ofPort: DEFAULT_OPENFLOW_PORT,
    attachGraceMs: 5000,
    auditIntervalMs: DEFAULT_AUDIT_INTERVAL_MS,
    dhcpLeaseSeconds: DHCP_LEASE_SECONDS,
    dhcpDomain: DHCP_DOMAIN,
    ...overrides,
  };
}

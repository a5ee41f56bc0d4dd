import type { Database } from 'better-sqlite3';

/**
 * Schema versions, applied in order at open; `PRAGMA user_version` records how far a file has come.
 * Append new versions; never edit one that has shipped.
 * Resources are JSON documents in their Neutron shape (`doc`), plus the columns that need an index or a
 * uniqueness constraint, so the database itself refuses a duplicate MAC, IP, segment, local VLAN or DVR MAC.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE networks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE subnets (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, network_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX subnets_network ON subnets(network_id);
  CREATE TABLE ports (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, network_id TEXT NOT NULL,
    device_id TEXT NOT NULL, mac_address TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
  CREATE INDEX ports_network ON ports(network_id);
  CREATE INDEX ports_device ON ports(device_id);
  CREATE TABLE routers (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE floatingips (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, floating_network_id TEXT NOT NULL,
    port_id TEXT, doc TEXT NOT NULL);
  CREATE INDEX floatingips_port ON floatingips(port_id);
  CREATE TABLE security_groups (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE security_group_rules (id TEXT PRIMARY KEY, project_id TEXT NOT NULL,
    security_group_id TEXT NOT NULL, remote_group_id TEXT, doc TEXT NOT NULL);
  CREATE INDEX sg_rules_group ON security_group_rules(security_group_id);
  CREATE INDEX sg_rules_remote ON security_group_rules(remote_group_id);
  CREATE TABLE default_security_groups (project_id TEXT PRIMARY KEY, security_group_id TEXT NOT NULL);
  CREATE TABLE hosts (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL UNIQUE,
    dvr_host_mac TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
  -- One row per network segment that can collide: (vlan, physnet, vid), (vxlan, '', vni), (flat, physnet, 0).
  CREATE TABLE segments (network_type TEXT NOT NULL, physical_network TEXT NOT NULL, segmentation_id INTEGER NOT NULL,
    network_id TEXT NOT NULL, PRIMARY KEY (network_type, physical_network, segmentation_id));
  CREATE INDEX segments_network ON segments(network_id);
  -- Subnets of one network never overlap, so (subnet, ip) unique means the address is unique on its network.
  CREATE TABLE ip_allocations (subnet_id TEXT NOT NULL, ip_address TEXT NOT NULL, port_id TEXT NOT NULL,
    PRIMARY KEY (subnet_id, ip_address));
  CREATE INDEX ip_allocations_port ON ip_allocations(port_id);
  CREATE TABLE local_vlans (host TEXT NOT NULL, network_id TEXT NOT NULL, vlan INTEGER NOT NULL,
    PRIMARY KEY (host, network_id), UNIQUE (host, vlan));
  `,
  // 2: fewer B-trees for a port create to dirty (each is a WAL page written per commit). Nothing looks
  // allocations up by port (a port's doc holds its fixed_ips), and only ports with a device are looked up by
  // device, so unattached ports stay out of that index (DocTable.where answers device_id = '' with a scan).
  `
  DROP INDEX ip_allocations_port;
  DROP INDEX ports_device;
  CREATE INDEX ports_device ON ports(device_id) WHERE device_id <> '';
  `,
];

/** Brings the file up to the newest schema, one transaction per version. Returns the version now in force. */
export function migrate(db: Database): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`database schema version ${version} is newer than this build knows (${MIGRATIONS.length})`);
  }
  for (; version < MIGRATIONS.length; version++) {
    const next = version + 1;
    db.transaction(() => {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${next}`);
    })();
  }
  return version;
}

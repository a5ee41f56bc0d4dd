import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Binaries the lab runs, with the Debian package that ships each (CI installs them with apt-get). */
const REQUIRED_TOOLS: Record<string, string> = {
  'ovs-vswitchd': 'openvswitch-switch',
  'ovsdb-server': 'openvswitch-common',
  'ovsdb-tool': 'openvswitch-common',
  'ovs-vsctl': 'openvswitch-switch',
  'ovs-ofctl': 'openvswitch-common',
  'ovs-appctl': 'openvswitch-common',
  ip: 'iproute2',
  ethtool: 'ethtool',
};

/** Only needed by individual helpers (captures, pings); checked when those are used. */
export const OPTIONAL_TOOLS: Record<string, string> = { tcpdump: 'tcpdump', ping: 'iputils-ping', dhclient: 'isc-dhcp-client' };

export const OVS_SCHEMA_PATH = '/usr/share/openvswitch/vswitch.ovsschema';

export class LabPrerequisiteError extends Error {
  override name = 'LabPrerequisiteError';
}

// sbin dirs are not always on a non-root PATH, but root tools live there.
const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this dir
    }
  }
  return undefined;
}

function describeMissing(tools: Record<string, string>): string[] {
  return Object.entries(tools)
    .filter(([bin]) => findExecutable(bin) === undefined)
    .map(([bin, pkg]) => `${bin} (Debian package ${pkg})`);
}

/** Throws a LabPrerequisiteError naming every missing piece; the lab never installs anything itself. */
export function assertLabPrerequisites(extraTools: readonly string[] = []): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('must run as root (network namespaces, veths)');
  const wanted: Record<string, string> = { ...REQUIRED_TOOLS };
  for (const t of extraTools) wanted[t] = OPTIONAL_TOOLS[t] ?? t;
  problems.push(...describeMissing(wanted).map((m) => `missing ${m}`));
  try {
    accessSync(OVS_SCHEMA_PATH, constants.R_OK);
  } catch {
    problems.push(`missing ${OVS_SCHEMA_PATH} (Debian package openvswitch-common)`);
  }
  if (problems.length > 0) {
    const pkgs = [...new Set(Object.values({ ...REQUIRED_TOOLS, ...OPTIONAL_TOOLS }))].join(' ');
    throw new LabPrerequisiteError(
      `OVS lab prerequisites not met: ${problems.join('; ')}. Install with: apt-get install -y ${pkgs}`,
    );
  }
}

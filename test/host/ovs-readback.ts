/** ovs-vsctl of one OVS instance (an OvsSandbox or a lab host). */
export type VsctlFn = (...args: string[]) => string | Promise<string>;

export async function getColumn(vsctl: VsctlFn, table: string, record: string, column: string): Promise<string> {
  return (await vsctl('get', table, record, column)).trim();
}

export async function listBridges(vsctl: VsctlFn): Promise<string[]> {
  return lines(await vsctl('list-br'));
}

export async function listPorts(vsctl: VsctlFn, bridge: string): Promise<string[]> {
  return lines(await vsctl('list-ports', bridge));
}

/** Controller targets of a bridge, as `get-controller` prints them. */
export async function controllers(vsctl: VsctlFn, bridge: string): Promise<string[]> {
  return lines(await vsctl('get-controller', bridge));
}

/**
 * Every configuration column of the tables `join` touches, with row uuids, plus next_cfg (which each
 * ovs-vsctl write transaction bumps). Equal snapshots mean nothing was written or recreated.
 * Status and statistics columns are left out: OVS updates them on its own.
 */
export async function configSnapshot(vsctl: VsctlFn): Promise<string> {
  return vsctl(
    '--columns=next_cfg,bridges', 'list', 'Open_vSwitch',
    '--', '--columns=_uuid,name,datapath_type,fail_mode,protocols,other_config,external_ids,controller,ports', 'list', 'Bridge',
    '--', '--columns=_uuid,name,interfaces,tag,other_config,external_ids', 'list', 'Port',
    '--', '--columns=_uuid,name,type,options,ofport_request,external_ids', 'list', 'Interface',
    '--', '--columns=_uuid,target,connection_mode,max_backoff,inactivity_probe', 'list', 'Controller',
  );
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

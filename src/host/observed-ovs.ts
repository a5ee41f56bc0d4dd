import { optionalNumber, optionalString, stringMap, stringSet, tableRows, uuidOf, uuidSet } from './ovsdb-datum.js';
import type { Vsctl } from './vsctl.js';

export interface ObservedController {
  target: string;
  connectionMode: string | undefined;
  rateLimit: number | undefined;
  burstLimit: number | undefined;
}

export interface ObservedBridge {
  name: string;
  datapathType: string;
  failMode: string | undefined;
  protocols: string[];
  otherConfig: Record<string, string>;
  controllers: ObservedController[];
  ports: string[];
}

export interface ObservedInterface {
  name: string;
  type: string;
  options: Record<string, string>;
}

/** The part of an OVS database that joining a host reads and may change. */
export interface ObservedOvs {
  bridges: Map<string, ObservedBridge>;
  /** Port name -> name of the bridge holding it. */
  portBridge: Map<string, string>;
  interfaces: Map<string, ObservedInterface>;
}

const TABLES: ReadonlyArray<readonly string[]> = [
  ['--columns=name,datapath_type,fail_mode,protocols,other_config,controller,ports', 'list', 'Bridge'],
  ['--columns=_uuid,name', 'list', 'Port'],
  ['--columns=name,type,options', 'list', 'Interface'],
  ['--columns=_uuid,target,connection_mode,controller_rate_limit,controller_burst_limit', 'list', 'Controller'],
];

/** Reads everything in one ovs-vsctl transaction, so the snapshot is consistent. */
export async function readObservedOvs(vsctl: Vsctl): Promise<ObservedOvs> {
  const out = await vsctl.transact(TABLES, ['--format=json', '--data=json']);
  const [bridgeRows, portRows, ifaceRows, controllerRows] = out.trim().split('\n').map(tableRows);
  const portNames = new Map(portRows.map((r) => [uuidOf(r._uuid), String(r.name)]));
  const controllers = new Map(
    controllerRows.map((r) => [uuidOf(r._uuid), {
      target: String(r.target),
      connectionMode: optionalString(r.connection_mode),
      rateLimit: optionalNumber(r.controller_rate_limit),
      burstLimit: optionalNumber(r.controller_burst_limit),
    }]),
  );
  const bridges = new Map<string, ObservedBridge>();
  const portBridge = new Map<string, string>();
  for (const r of bridgeRows) {
    const name = String(r.name);
    const ports = uuidSet(r.ports).map((u) => portNames.get(u) ?? u);
    for (const p of ports) portBridge.set(p, name);
    bridges.set(name, {
      name,
      datapathType: String(r.datapath_type),
      failMode: optionalString(r.fail_mode),
      protocols: stringSet(r.protocols),
      otherConfig: stringMap(r.other_config),
      controllers: uuidSet(r.controller).flatMap((u) => controllers.get(u) ?? []),
      ports,
    });
  }
  const interfaces = new Map(
    ifaceRows.map((r): [string, ObservedInterface] => [
      String(r.name),
      { name: String(r.name), type: String(r.type), options: stringMap(r.options) },
    ]),
  );
  return { bridges, portBridge, interfaces };
}

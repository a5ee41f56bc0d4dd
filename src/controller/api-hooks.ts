import type { BridgeFlows, ControllerHooks } from '../api/controller-routes.js';
import { inspectFlows } from '../reconciler/inspect.js';
import type { Reconciler, ReconcileResult } from '../reconciler/reconciler.js';
import { formatDpid } from '../switch/identity.js';
import type { OpenFlowServer } from '../switch/server.js';
import type { BridgeAudit } from './bridge-audit.js';
import type { FlowLoop } from './flow-loop.js';

/** One connected bridge as `GET /v1/switches` lists it. */
export interface SwitchView {
  host: string;
  bridge: string;
  datapath_id: string;
  /** False while the controller waits for the host's other bridges before taking it over. */
  attached: boolean;
  desired_flows: number;
  /** FLOW_MODs sent to this bridge since the controller started (inside bundles). */
  flow_mods: number;
  reconciles: number;
  last_reconcile: { trigger: string; flow_mods: number; ms: number } | null;
}

/** The API's `/v1/switches`, `/v1/hosts/{host}/bridges/{bridge}/flows` and `…/resync`. */
export function controllerHooks(server: OpenFlowServer, reconciler: Reconciler, loop: FlowLoop, audit: BridgeAudit): Required<ControllerHooks> {
  return {
    listSwitches: (): SwitchView[] =>
      [...server.switches.values()].map((s) => {
        const { host, bridge, key } = s.identity!;
        const c = loop.counters.get(key);
        return {
          host,
          bridge,
          datapath_id: formatDpid(s.datapathId),
          attached: loop.isAttached(s),
          desired_flows: reconciler.desired(key).length,
          flow_mods: c?.flowMods ?? 0,
          reconciles: c?.reconciles ?? 0,
          last_reconcile: c?.last ? { trigger: c.last.trigger, flow_mods: c.last.flowMods, ms: c.last.ms } : null,
        };
      }),
    flowsFor: async (host: string, bridge: string): Promise<BridgeFlows> => {
      const key = `${host}/${bridge}`;
      const f = await inspectFlows(reconciler, key, server.switches.get(key));
      const text = (lines: string[]): string => lines.map((l) => `${l.trim()}\n`).join('');
      return { desired: text(f.desired), installed: text(f.installed), diff: text(f.diff) };
    },
    resyncBridge: (host: string, bridge: string): Promise<ReconcileResult | undefined> => audit.auditNow(`${host}/${bridge}`),
  };
}

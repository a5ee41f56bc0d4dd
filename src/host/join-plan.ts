import { CONNECTION_MODE, CONTROLLER_BURST_LIMIT, CONTROLLER_RATE_LIMIT, FAIL_MODE, REQUIRED_PROTOCOLS, type WantedBridge, type WantedPort } from './host-layout.js';
import type { ObservedBridge, ObservedOvs } from './observed-ovs.js';

export interface PlanSettings {
  controller: string;
  /** undefined: keep what existing bridges have, OVS default for new ones. */
  datapathType?: string;
}

/** ovs-vsctl commands (one transaction) and a line per change, for the operator. */
export interface JoinPlan {
  commands: string[][];
  changes: string[];
}

export class JoinConflictError extends Error {
  override name = 'JoinConflictError';
}

/**
 * Compares what the host needs with what OVSDB holds and returns only the differences, so a re-run
 * writes nothing. Existing bridges are adopted: their other ports and other-config keys are kept.
 * The controller is only (re)set when the target differs, because attaching the first controller
 * flushes a bridge's flows and re-setting one reconnects it (lab notes, gotcha 5).
 */
export function planJoin(layout: readonly WantedBridge[], observed: ObservedOvs, settings: PlanSettings): JoinPlan {
  const plan: JoinPlan = { commands: [], changes: [] };
  for (const wanted of layout) {
    const current = observed.bridges.get(wanted.name);
    if (current) updateBridge(plan, wanted, current, settings);
    else createBridge(plan, wanted, settings);
    for (const port of wanted.ports) planPort(plan, wanted.name, port, observed);
  }
  return plan;
}

function createBridge(plan: JoinPlan, wanted: WantedBridge, settings: PlanSettings): void {
  const datapath = settings.datapathType ? [`datapath_type=${settings.datapathType}`] : [];
  plan.commands.push(
    ['add-br', wanted.name],
    ['set', 'bridge', wanted.name, `fail_mode=${FAIL_MODE}`, `protocols=${REQUIRED_PROTOCOLS.join(',')}`,
      `other-config:dp-desc=${quote(wanted.dpDesc)}`, ...datapath],
  );
  plan.changes.push(`${wanted.name}: created`);
  setController(plan, wanted.name, settings.controller);
}

function updateBridge(plan: JoinPlan, wanted: WantedBridge, current: ObservedBridge, settings: PlanSettings): void {
  const sets: string[] = [];
  const change = (what: string, from: string, to: string): void => {
    plan.changes.push(`${wanted.name}: ${what} ${from || '(unset)'} -> ${to}`);
  };
  if (current.failMode !== FAIL_MODE) {
    sets.push(`fail_mode=${FAIL_MODE}`);
    change('fail_mode', current.failMode ?? '', FAIL_MODE);
  }
  // Protocols the operator enabled on top of ours keep working.
  const protocols = [...new Set([...current.protocols, ...REQUIRED_PROTOCOLS])].sort();
  if (protocols.length !== current.protocols.length) {
    sets.push(`protocols=${protocols.join(',')}`);
    change('protocols', current.protocols.join(','), protocols.join(','));
  }
  if (current.otherConfig['dp-desc'] !== wanted.dpDesc) {
    sets.push(`other-config:dp-desc=${quote(wanted.dpDesc)}`);
    change('dp-desc', current.otherConfig['dp-desc'] ?? '', wanted.dpDesc);
  }
  if (settings.datapathType && current.datapathType !== settings.datapathType) {
    sets.push(`datapath_type=${settings.datapathType}`);
    change('datapath_type', current.datapathType, settings.datapathType);
  }
  if (sets.length > 0) plan.commands.push(['set', 'bridge', wanted.name, ...sets]);

  const targets = current.controllers.map((c) => c.target);
  if (targets.length !== 1 || targets[0] !== settings.controller) {
    setController(plan, wanted.name, settings.controller, targets);
  } else {
    const have = current.controllers[0];
    const wantedSettings: Array<[string, string | number | undefined, string | number]> = [
      ['connection-mode', have.connectionMode, CONNECTION_MODE],
      ['controller_rate_limit', have.rateLimit, CONTROLLER_RATE_LIMIT],
      ['controller_burst_limit', have.burstLimit, CONTROLLER_BURST_LIMIT],
    ];
    const differing = wantedSettings.filter(([, now, want]) => now !== want);
    if (differing.length) plan.commands.push(['set', 'controller', wanted.name, ...differing.map(([col, , want]) => `${col}=${want}`)]);
    for (const [col, now, want] of differing) change(col, String(now ?? ''), String(want));
  }
}

/** The settings `join` gives a bridge's controller row, besides its target. */
const CONTROLLER_SETTINGS = [
  `connection-mode=${CONNECTION_MODE}`,
  `controller_rate_limit=${CONTROLLER_RATE_LIMIT}`,
  `controller_burst_limit=${CONTROLLER_BURST_LIMIT}`,
];

function setController(plan: JoinPlan, bridge: string, target: string, previous: readonly string[] = []): void {
  plan.commands.push(['set-controller', bridge, target], ['set', 'controller', bridge, ...CONTROLLER_SETTINGS]);
  // Only the first controller of a bridge flushes its flows; replacing one does not.
  const note = previous.length === 0 ? ' (first controller: OVS flushes this bridge\'s flows)' : '';
  plan.changes.push(`${bridge}: controller ${previous.join(',') || '(none)'} -> ${target}${note}`);
}

function planPort(plan: JoinPlan, bridge: string, port: WantedPort, observed: ObservedOvs): void {
  const options = Object.entries(port.options);
  const owner = observed.portBridge.get(port.name);
  if (owner === undefined) {
    plan.commands.push(
      ['add-port', bridge, port.name],
      ['set', 'interface', port.name, `type=${port.type}`, ...options.map(([k, v]) => `options:${k}=${quote(v)}`)],
    );
    plan.changes.push(`${bridge}: port ${port.name} added (${describe(port.type, port.options)})`);
    return;
  }
  if (owner !== bridge) {
    throw new JoinConflictError(`port ${port.name} belongs on ${bridge} but is on ${owner}; remove it there first`);
  }
  const iface = observed.interfaces.get(port.name);
  const sets: string[] = [];
  if (iface?.type !== port.type) sets.push(`type=${port.type}`);
  for (const [k, v] of options) if (iface?.options[k] !== v) sets.push(`options:${k}=${quote(v)}`);
  if (sets.length === 0) return;
  plan.commands.push(['set', 'interface', port.name, ...sets]);
  plan.changes.push(`${bridge}: port ${port.name} updated (${describe(port.type, port.options)})`);
}

function describe(type: string, options: Record<string, string>): string {
  return [`type=${type}`, ...Object.entries(options).map(([k, v]) => `${k}=${v}`)].join(' ');
}

/** ovs-vsctl value syntax: a JSON string, so spaces (dp-desc) and colons (IPv6) survive. */
function quote(value: string): string {
  return JSON.stringify(value);
}

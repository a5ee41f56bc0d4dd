import { hostLayout } from './host-layout.js';
import { planJoin } from './join-plan.js';
import { validateJoinOptions, type JoinOptions } from './join-options.js';
import { readObservedOvs } from './observed-ovs.js';
import { registerHost, type RegistrationOutcome } from './register-host.js';
import { Vsctl } from './vsctl.js';

export interface JoinReport {
  /** One line per change made to OVS; empty when the host was already ready. */
  changes: string[];
  registration: RegistrationOutcome | 'skipped';
}

/**
 * Makes one host ready for the controller: creates or adopts br-int, br-tun and the provider bridges
 * with their patch ports, the flow-based VXLAN port, fail-mode, protocols, dp-desc and controller (one
 * ovs-vsctl transaction holding only the differences), then registers the host through the API.
 * Idempotent: a re-run on a ready host writes nothing. Throws JoinOptionError before touching anything
 * when an option is invalid.
 */
export async function joinHost(options: JoinOptions): Promise<JoinReport> {
  const opts = validateJoinOptions(options);
  const vsctl = new Vsctl(opts.db);
  const layout = hostLayout(opts.name, opts.tunnelIp, opts.bridgeMappings);
  const settings = { controller: opts.controller, datapathType: opts.datapathType };
  const plan = planJoin(layout, await readObservedOvs(vsctl), settings);
  if (plan.commands.length > 0) {
    // Without --no-wait this returns once ovs-vswitchd has applied the transaction.
    await vsctl.transact(plan.commands);
    const leftover = planJoin(layout, await readObservedOvs(vsctl), settings);
    if (leftover.commands.length > 0) {
      throw new Error(`OVS did not keep the configuration: still to do: ${leftover.changes.join('; ')}`);
    }
  }
  if (!opts.register) return { changes: plan.changes, registration: 'skipped' };
  const registration = await registerHost(opts.register, {
    name: opts.name,
    tunnel_ip: opts.tunnelIp,
    bridge_mappings: opts.bridgeMappings,
  });
  return { changes: plan.changes, registration };
}

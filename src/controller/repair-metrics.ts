import { Counter, type Registry } from 'prom-client';
import type { Reconciler } from '../reconciler/reconciler.js';
import type { BridgeAudit } from './bridge-audit.js';

/** Prometheus counters of the self-repair: audits, the drift they repaired, failed pushes and their retries. */
export function installRepairMetrics(registry: Registry, audit: BridgeAudit, reconciler: Reconciler): void {
  const counter = (name: string, help: string): Counter => new Counter({ name, help, registers: [registry] });
  const audits = counter('neutrino_audits_total', 'Bridge audits run (dump, diff, repair), periodic or requested');
  const repairs = counter('neutrino_audit_repairs_total', 'Audits that found a bridge drifted from its desired flows and repaired it');
  const repaired = counter('neutrino_audit_flows_repaired_total', 'FLOW_MODs audits sent to repair drift (adds, modifies, deletes)');
  const failures = counter('neutrino_reconcile_failures_total', 'Pushes, attaches and audits that failed on a connected bridge (refused bundle, timeout)');
  const retries = counter('neutrino_reconcile_retries_total', 'Retries (resyncs after a failed push) that succeeded');
  audit.audited$.subscribe((r) => {
    audits.inc();
    if (r.flowMods > 0) {
      repairs.inc();
      repaired.inc(r.flowMods);
    }
  });
  reconciler.failed$.subscribe(() => failures.inc());
  reconciler.retried$.subscribe(() => retries.inc());
}

import type { Logger } from 'pino';
import { createApiServer, type ApiServer } from '../api/server.js';
import { isOurCookie } from '../config/pipeline.js';
import { Reconciler } from '../reconciler/reconciler.js';
import { openStore, type Store } from '../store/store.js';
import { OpenFlowServer } from '../switch/server.js';
import { controllerHooks } from './api-hooks.js';
import { BridgeAudit } from './bridge-audit.js';
import { controllerConfig, type ControllerConfig } from './config.js';
import { installDhcpMetrics } from './dhcp-metrics.js';
import { DEFAULT_DHCP_OPTIONS, DhcpService } from './dhcp-service.js';
import { FlowLoop } from './flow-loop.js';
import { installRepairMetrics } from './repair-metrics.js';

/** A running controller: store, northbound API, OpenFlow server and the flow loop. */
export interface Controller {
  readonly store: Store;
  readonly api: ApiServer;
  readonly server: OpenFlowServer;
  readonly reconciler: Reconciler;
  readonly loop: FlowLoop;
  readonly audit: BridgeAudit;
  /** Native DHCP: answers the VM ports' DHCP requests that br-int sends up. */
  readonly dhcp: DhcpService;
  /** Base URL of the API, e.g. http://127.0.0.1:9696. */
  readonly apiUrl: string;
  /** The OpenFlow port actually listened on. */
  readonly ofPort: number;
  /** Stops accepting switches and requests, then closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store, computes every bridge's flows from it, then listens: the OpenFlow server only once
 * the flow loop is subscribed, so no switch connects before the controller can compute its flows.
 */
export async function startController(partial: Partial<ControllerConfig>, log: Logger): Promise<Controller> {
  const config = controllerConfig(partial);
  const store = openStore(config.dbPath, config.store);
  const server = new OpenFlowServer(log.child({ component: 'openflow' }), { host: config.ofHost, port: config.ofPort });
  // Only flows with one of our cookies are ours to delete: anything an operator added stays.
  const reconciler = new Reconciler(log.child({ component: 'reconciler' }), { mayDelete: isOurCookie });
  const loop = new FlowLoop(store, server, reconciler, log.child({ component: 'flow-loop' }), config.attachGraceMs);
  const audit = new BridgeAudit(reconciler, loop, log.child({ component: 'audit' }), config.auditIntervalMs);
  const dhcp = new DhcpService(server, loop, log.child({ component: 'dhcp' }), {
    ...DEFAULT_DHCP_OPTIONS, leaseSeconds: config.dhcpLeaseSeconds, domain: config.dhcpDomain,
  });
  const api = await createApiServer({
    store,
    auth: config.auth,
    host: config.apiHost,
    port: config.apiPort,
    logger: false,
    ...controllerHooks(server, reconciler, loop, audit),
  });
  installRepairMetrics(api.metrics, audit, reconciler);
  installDhcpMetrics(api.metrics, dhcp);
  dhcp.start();
  let apiUrl: string;
  try {
    await loop.idle();
    apiUrl = await api.listen();
    await server.listen();
  } catch (err) {
    dhcp.stop();
    loop.stop();
    audit.stop();
    await api.close();
    await server.close();
    store.close();
    throw err;
  }
  log.info({ api: apiUrl, openflow: `${config.ofHost}:${server.port}`, db: config.dbPath }, 'controller running');
  return {
    store,
    api,
    server,
    reconciler,
    loop,
    audit,
    dhcp,
    apiUrl,
    ofPort: server.port,
    async stop() {
      dhcp.stop();
      loop.stop();
      audit.stop();
      await server.close();
      await api.close();
      await loop.idle();
      store.close();
    },
  };
}

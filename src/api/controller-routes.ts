import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { HostInput } from '../store/hosts.js';
import type { Store } from '../store/store.js';
import { attributesOf } from './attributes.js';
import { sendNeutronError } from './errors.js';
import { answerList, type ListRoute } from './list-route.js';
import { envelope, RESOURCE_SCHEMAS } from './schemas.js';

/** Desired vs installed flows of one bridge, as text (provided by the reconciler). */
export interface BridgeFlows {
  desired: string;
  installed: string;
  diff: string;
}

/** Hooks the switch and reconciler side plug in; routes answer 501 until they do. */
export interface ControllerHooks {
  listSwitches?: () => unknown[] | Promise<unknown[]>;
  flowsFor?: (host: string, bridge: string) => BridgeFlows | Promise<BridgeFlows>;
  /** Audits a bridge now (dump, diff, repair); undefined when it is not connected and attached. */
  resyncBridge?: (host: string, bridge: string) => Promise<ReconcileResultView | undefined>;
}

/** What a resync did (the reconciler's ReconcileResult). */
export interface ReconcileResultView {
  bridge: string;
  added: number;
  modified: number;
  removed: number;
  flowMods: number;
}

const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const hostList: ListRoute = { plural: 'hosts', attributes: attributesOf('host') };

/** `/v1`: hosts, health, metrics, switches, flows, the OpenAPI document. */
export function registerControllerRoutes(
  app: FastifyInstance,
  store: Store,
  metrics: Registry,
  hooks: ControllerHooks,
  openApi: () => Record<string, unknown>,
): void {
  const hostSchemas = RESOURCE_SCHEMAS.host;

  app.get('/v1/health', async () => ({ status: 'ok', store: store.path }));

  app.get('/v1/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));

  app.get('/v1/openapi.json', async () => openApi());

  app.get('/v1/hosts', { config: { list: hostList } }, async (req) => {
    // Hosts are admin only: a member is refused (403) before the query is validated.
    const hosts = store.hosts.list(req.caller);
    return answerList(req, hostList, { list: () => hosts, get: (id) => store.hosts.get(req.caller, id) });
  });
  app.get('/v1/hosts/:id', { schema: { params: idParams } }, async (req) => ({
    host: store.hosts.get(req.caller, (req.params as { id: string }).id),
  }));
  app.post('/v1/hosts', { schema: { body: envelope('host', 'hosts', hostSchemas.create, false) } }, async (req, reply) => {
    reply.code(201);
    return { host: store.hosts.create(req.caller, (req.body as { host: HostInput }).host) };
  });
  app.put('/v1/hosts/:id', { schema: { params: idParams, body: envelope('host', 'hosts', hostSchemas.update, false) } },
    async (req) => ({
      host: store.hosts.update(req.caller, (req.params as { id: string }).id, (req.body as { host: HostInput }).host),
    }));
  app.delete('/v1/hosts/:id', { schema: { params: idParams } }, async (req, reply) => {
    store.hosts.delete(req.caller, (req.params as { id: string }).id);
    return reply.code(204).send();
  });

  app.get('/v1/hosts/:id/local-vlans', { schema: { params: idParams } }, async (req) => {
    const host = store.hosts.get(req.caller, (req.params as { id: string }).id);
    const vlans = [...store.localVlans.ofHost(host.name)].map(([network_id, vlan]) => ({ network_id, vlan }));
    return { local_vlans: vlans };
  });

  app.get('/v1/switches', async (req, reply) => {
    if (!req.caller.admin) return sendNeutronError(reply, 403, 'PolicyNotAuthorized', 'rule:get_switches is disallowed by policy');
    if (!hooks.listSwitches) return sendNeutronError(reply, 501, 'NotImplemented', 'No switch registry is attached to this API server.');
    return { switches: await hooks.listSwitches() };
  });

  app.get('/v1/hosts/:id/bridges/:bridge/flows', async (req, reply) => {
    if (!req.caller.admin) return sendNeutronError(reply, 403, 'PolicyNotAuthorized', 'rule:get_flows is disallowed by policy');
    if (!hooks.flowsFor) return sendNeutronError(reply, 501, 'NotImplemented', 'No flow reconciler is attached to this API server.');
    const { id, bridge } = req.params as { id: string; bridge: string };
    return hooks.flowsFor(store.hosts.get(req.caller, id).name, bridge);
  });

  app.post('/v1/hosts/:id/bridges/:bridge/resync', async (req, reply) => {
    if (!req.caller.admin) return sendNeutronError(reply, 403, 'PolicyNotAuthorized', 'rule:resync_bridge is disallowed by policy');
    if (!hooks.resyncBridge) return sendNeutronError(reply, 501, 'NotImplemented', 'No flow reconciler is attached to this API server.');
    const { id, bridge } = req.params as { id: string; bridge: string };
    const host = store.hosts.get(req.caller, id).name;
    let result: ReconcileResultView | undefined;
    try {
      result = await hooks.resyncBridge(host, bridge);
    } catch (err) {
      // The switch refused the repair or did not answer; it is retried with backoff.
      return sendNeutronError(reply, 502, 'SwitchError', `Resync of ${host}/${bridge} failed: ${(err as Error).message}`);
    }
    if (!result) return sendNeutronError(reply, 404, 'BridgeNotFound', `Bridge ${bridge} of host ${host} is not connected to the controller (or not taken over yet).`);
    return result;
  });
}

export { createApiServer, DEFAULT_API_HOST, DEFAULT_API_PORT, type ApiServer, type ApiServerOptions } from './server.js';
export type { AuthOptions, TokenGrant } from './auth.js';
export type { BridgeFlows, ControllerHooks } from './controller-routes.js';

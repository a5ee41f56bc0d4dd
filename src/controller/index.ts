/** The controller process: store + API + OpenFlow server + flow loop. */
export { startController, type Controller } from './controller.js';
export { controllerConfig, DEFAULT_DB_PATH, type ControllerConfig } from './config.js';
export { FlowLoop, type BridgeCounters } from './flow-loop.js';
export type { SwitchView } from './api-hooks.js';

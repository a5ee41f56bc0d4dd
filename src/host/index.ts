export { joinHost, type JoinReport } from './join.js';
export {
  parseBridgeMappings,
  validateJoinOptions,
  JoinOptionError,
  type JoinOptions,
} from './join-options.js';
export { hostLayout, REQUIRED_PROTOCOLS, FAIL_MODE, CONNECTION_MODE, type WantedBridge, type WantedPort } from './host-layout.js';
export { planJoin, JoinConflictError, type JoinPlan, type PlanSettings } from './join-plan.js';
export { readObservedOvs, type ObservedOvs, type ObservedBridge, type ObservedInterface } from './observed-ovs.js';
export { registerHost, RegistrationError, type ApiTarget, type HostRegistration, type RegistrationOutcome } from './register-host.js';
export { Vsctl, VsctlError } from './vsctl.js';

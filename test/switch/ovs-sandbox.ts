/** The private-OVS sandbox moved to test/support/ovs-sandbox.ts; this path stays for existing imports. */
export { OvsSandbox, ovsAvailable, runOvsTests, type OvsSandboxOptions } from '../support/ovs-sandbox.js';

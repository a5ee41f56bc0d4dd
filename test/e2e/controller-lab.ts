import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../src/lab/index.js';
import { addFlowTunnelPort } from '../apps/lab-topology.js';
import { ApiClient } from './api-client.js';
import { ControllerProcess, freePort } from './controller-process.js';

export interface ControllerLabOptions {
  /** Lab name (a few letters; namespaces and run dirs carry it). */
  name: string;
  hosts: string[];
  /** Extra provider bridges of every host, and the physnet mappings registered for them. */
  providerBridges?: string[];
  bridgeMappings?: Record<string, string>;
  /** More `neutrino run` options. */
  args?: string[];
}

export interface ControllerLab {
  ctl: ControllerProcess;
  api: ApiClient;
  lab: Lab;
  stop(): Promise<void>;
}

/**
 * The controller as the README runs it (`neutrino run`, its own process) and a lab whose hosts point
 * their bridges at it, each with what `neutrino join` adds to br-tun (the flow-based VXLAN port) and
 * registered through the API: the setting of the end-to-end tests.
 */
export async function startControllerLab(o: ControllerLabOptions): Promise<ControllerLab> {
  const [apiPort, ofPort] = [await freePort(), await freePort()];
  const dbDir = mkdtempSync(join(tmpdir(), `neutrino-${o.name}-`));
  const ctl = new ControllerProcess({ db: join(dbDir, 'neutrino.db'), apiPort, ofPort, ...(o.args ? { args: o.args } : {}) });
  let lab: Lab | undefined;
  const stop = async (): Promise<void> => {
    await ctl.stop();
    await lab?.stop();
    rmSync(dbDir, { recursive: true, force: true });
  };
  try {
    await ctl.start();
    const api = new ApiClient(ctl.apiUrl);
    lab = await Lab.start({ name: o.name, hosts: o.hosts, controller: { port: ofPort }, ...(o.providerBridges ? { providerBridges: o.providerBridges } : {}) });
    for (const h of o.hosts) {
      await addFlowTunnelPort(lab.host(h));
      await api.createHost(h, lab.tunnelIp(h), o.bridgeMappings);
    }
    return { ctl, api, lab, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

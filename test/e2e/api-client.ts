/** Minimal Neutron API client for the end-to-end tests (no-auth controller). */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async createHost(name: string, tunnelIp: string, bridgeMappings: Record<string, string> = {}): Promise<void> {
    await this.call('POST', '/v1/hosts', { host: { name, tunnel_ip: tunnelIp, bridge_mappings: bridgeMappings } });
  }

  /** A tenant (vxlan) network, or a provider network when `provider` names type, physnet and segment. */
  async createNetwork(name: string, provider: Record<string, unknown> = {}): Promise<string> {
    return (await this.call<{ network: { id: string } }>('POST', '/v2.0/networks', { network: { name, ...provider } })).network.id;
  }

  async createSubnet(networkId: string, cidr: string): Promise<string> {
    const r = await this.call<{ subnet: { id: string } }>('POST', '/v2.0/subnets', { subnet: { network_id: networkId, cidr, ip_version: 4 } });
    return r.subnet.id;
  }

  async createPort(networkId: string, host: string, ip?: string): Promise<ApiPort> {
    const port: Record<string, unknown> = { network_id: networkId, 'binding:host_id': host };
    if (ip) port.fixed_ips = [{ ip_address: ip }];
    return (await this.call<{ port: ApiPort }>('POST', '/v2.0/ports', { port })).port;
  }

  async port(id: string): Promise<ApiPort> {
    return (await this.call<{ port: ApiPort }>('GET', `/v2.0/ports/${id}`)).port;
  }

  async bindPort(id: string, host: string): Promise<ApiPort> {
    return (await this.call<{ port: ApiPort }>('PUT', `/v2.0/ports/${id}`, { port: { 'binding:host_id': host } })).port;
  }

  async switches(): Promise<ApiSwitch[]> {
    return (await this.call<{ switches: ApiSwitch[] }>('GET', '/v1/switches')).switches;
  }

  async desiredFlows(host: string, bridge: string): Promise<string[]> {
    return (await this.flows(host, bridge)).desired;
  }

  /** Desired, installed (dumped now) and the difference, as ovs-ofctl lines. */
  async flows(host: string, bridge: string): Promise<{ desired: string[]; installed: string[]; diff: string[] }> {
    const r = await this.call<{ desired: string; installed: string; diff: string }>('GET', `/v1/hosts/${host}/bridges/${bridge}/flows`);
    const lines = (t: string): string[] => t.split('\n').filter(Boolean);
    return { desired: lines(r.desired), installed: lines(r.installed), diff: lines(r.diff) };
  }
}

export interface ApiPort {
  id: string;
  network_id: string;
  mac_address: string;
  status: string;
  fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
}

export interface ApiSwitch {
  host: string;
  bridge: string;
  attached: boolean;
  desired_flows: number;
  flow_mods: number;
  reconciles: number;
}

/** Polls `probe` every 20 ms until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

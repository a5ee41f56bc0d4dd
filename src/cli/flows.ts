import { filterFlowLines, type FlowFilter } from './flow-filter.js';

/** `neutrino flows HOST BRIDGE`: a bridge's desired and installed flows and their diff, from a running controller's API. */
export interface FlowsOptions extends FlowFilter {
  api: string;
  token?: string;
  show: 'desired' | 'installed' | 'diff' | 'all';
}

interface BridgeFlows {
  desired: string;
  installed: string;
  diff: string;
}

interface Out {
  write(s: string): unknown;
}

/** Returns the process exit code: 0 ok, 1 the API refused or could not be reached. */
export async function flowsCommand(host: string, bridge: string, opts: FlowsOptions, out: Out, err: Out): Promise<number> {
  const url = new URL(`/v1/hosts/${encodeURIComponent(host)}/bridges/${encodeURIComponent(bridge)}/flows`, opts.api);
  let res: Response;
  try {
    res = await fetch(url, { headers: opts.token ? { 'X-Auth-Token': opts.token } : {} });
  } catch (e) {
    err.write(`neutrino flows: cannot reach ${opts.api}: ${(e as Error).message}\n`);
    return 1;
  }
  const body = (await res.json().catch(() => undefined)) as (BridgeFlows & { NeutronError?: { message: string } }) | undefined;
  if (!res.ok || !body) {
    err.write(`neutrino flows: ${res.status} ${body?.NeutronError?.message ?? res.statusText}\n`);
    return 1;
  }
  const sections = opts.show === 'all' ? (['desired', 'installed', 'diff'] as const) : [opts.show];
  for (const s of sections) {
    if (sections.length > 1) out.write(`# ${s} (${host} ${bridge})\n`);
    const text = filterFlowLines(body[s], opts);
    out.write(text.endsWith('\n') || text === '' ? text : text + '\n');
  }
  return 0;
}

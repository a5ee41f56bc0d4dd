/** What the API stores about a host (`/v1/hosts`, src/api/controller-routes.ts). */
export interface HostRegistration {
  name: string;
  tunnel_ip: string;
  bridge_mappings: Record<string, string>;
}

export interface ApiTarget {
  /** Base URL of the API, e.g. http://127.0.0.1:9696. */
  apiUrl: string;
  /** Sent as X-Auth-Token; omit for a no-auth API. */
  token?: string;
}

export type RegistrationOutcome = 'created' | 'updated' | 'unchanged';

export class RegistrationError extends Error {
  override name = 'RegistrationError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Creates or updates the host record, idempotently: GET by name, then POST when absent, PUT when
 * tunnel_ip or bridge_mappings differ, nothing when equal.
 */
export async function registerHost(api: ApiTarget, host: HostRegistration): Promise<RegistrationOutcome> {
  const base = `${api.apiUrl.replace(/\/+$/, '')}/v1/hosts`;
  const byName = `${base}/${encodeURIComponent(host.name)}`;
  const current = await call(api, 'GET', byName, undefined, [200, 404]);
  if (current.status === 404) {
    const created = await call(api, 'POST', base, { host }, [201, 409]);
    // 409: another join of the same host won the race; fall through to an update.
    if (created.status === 201) return 'created';
  } else if (sameRegistration((current.body as { host?: Partial<HostRegistration> }).host, host)) {
    return 'unchanged';
  }
  const { name: _name, ...changes } = host;
  await call(api, 'PUT', byName, { host: changes }, [200]);
  return 'updated';
}

function sameRegistration(stored: Partial<HostRegistration> | undefined, wanted: HostRegistration): boolean {
  if (!stored || stored.tunnel_ip !== wanted.tunnel_ip) return false;
  const a = stored.bridge_mappings ?? {};
  const b = wanted.bridge_mappings;
  return Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
}

interface ApiReply {
  status: number;
  body: unknown;
}

async function call(api: ApiTarget, method: string, url: string, body: unknown, expected: number[]): Promise<ApiReply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (api.token !== undefined) headers['x-auth-token'] = api.token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new RegistrationError(`${method} ${url} failed: ${(err as Error).message}${cause}`);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = text;
  }
  if (!expected.includes(res.status)) {
    const detail = (parsed as { NeutronError?: { message?: string } })?.NeutronError?.message ?? text.slice(0, 500);
    throw new RegistrationError(`${method} ${url} answered ${res.status}: ${detail}`, res.status);
  }
  return { status: res.status, body: parsed };
}

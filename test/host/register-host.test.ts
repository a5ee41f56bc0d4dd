import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { registerHost, RegistrationError } from '../../src/host/index.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A tiny HTTP server that records each request and answers from a script, to pin down the exact
 * requests (and the create/create race) that the real API tests cannot provoke.
 */
async function scriptedApi(replies: Array<[number, unknown]>): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const [status, payload] = replies.shift() ?? [500, { NeutronError: { message: 'unexpected request' } }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, requests, server };
}

const HOST = { name: 'compute-9', tunnel_ip: '192.0.2.99', bridge_mappings: { physnet1: 'br-ex' } };

describe('registerHost requests', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('looks the host up, creates it when absent and falls back to an update when another join created it first', async () => {
    const api = await scriptedApi([
      [404, { NeutronError: { message: 'Host compute-9 could not be found.' } }],
      [409, { NeutronError: { message: 'A host named compute-9 already exists.' } }],
      [200, { host: HOST }],
    ]);
    server = api.server;
    expect(await registerHost({ apiUrl: api.url, token: 'T' }, HOST)).toBe('updated');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/hosts/compute-9', 'POST /v1/hosts', 'PUT /v1/hosts/compute-9',
    ]);
    for (const r of api.requests) expect(r.headers['x-auth-token']).toBe('T');
    expect(api.requests[1].headers['content-type']).toBe('application/json');
    expect(JSON.parse(api.requests[1].body)).toEqual({ host: HOST });
    expect(JSON.parse(api.requests[2].body)).toEqual({ host: { tunnel_ip: '192.0.2.99', bridge_mappings: { physnet1: 'br-ex' } } });
  });

  it('sends no token header without a token, and nothing after a matching lookup', async () => {
    const api = await scriptedApi([[200, { host: { ...HOST, id: 'x', dvr_host_mac: 'fa:16:3f:00:00:01' } }]]);
    server = api.server;
    expect(await registerHost({ apiUrl: api.url }, HOST)).toBe('unchanged');
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].headers['x-auth-token']).toBeUndefined();
  });

  it('reports the status and the NeutronError message of a refusal', async () => {
    const api = await scriptedApi([[401, { NeutronError: { type: 'HTTPUnauthorized', message: 'Authentication required', detail: '' } }]]);
    server = api.server;
    const err = await registerHost({ apiUrl: api.url, token: 'bad' }, HOST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistrationError);
    expect((err as RegistrationError).status).toBe(401);
    expect((err as Error).message).toBe(`GET ${api.url}v1/hosts/compute-9 answered 401: Authentication required`);
  });
});

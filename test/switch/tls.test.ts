import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenFlowServer } from '../../src/switch/server.js';
import { FakeSwitch } from './fake-switch.js';
import { nextUp, startServer } from './harness.js';

/** A CA, a controller certificate and a switch certificate signed by it, made with openssl. */
function makePki(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  for (const who of ['ctl', 'switch']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', `${who}.key`, '-out', `${who}.csr`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${who}.pem`);
  }
}

describe('OpenFlow over TLS', () => {
  let dir: string;
  let server: OpenFlowServer;
  const fakes: FakeSwitch[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'neutrino-pki-'));
    makePki(dir);
    ({ server } = await startServer({ tls: { certFile: join(dir, 'ctl.pem'), keyFile: join(dir, 'ctl.key'), caFile: join(dir, 'ca.pem') } }));
  });

  afterAll(async () => {
    for (const f of fakes) f.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a switch whose certificate the CA signed', async () => {
    const up = nextUp(server, 'h9/br-int');
    const ca = readFileSync(join(dir, 'ca.pem'));
    fakes.push(
      await FakeSwitch.connect(server.port, { dpDesc: 'h9 br-int' }, { ca, cert: readFileSync(join(dir, 'switch.pem')), key: readFileSync(join(dir, 'switch.key')), checkServerIdentity: () => undefined }),
    );
    const s = await up;
    await expect(s.barrier()).resolves.toBeUndefined();
  });

  it('refuses a switch without a client certificate', async () => {
    const ca = readFileSync(join(dir, 'ca.pem'));
    const attempt = FakeSwitch.connect(server.port, { dpDesc: 'h8 br-int' }, { ca, checkServerIdentity: () => undefined }).then(async (f) => {
      fakes.push(f);
      await f.closed(); // TLS 1.3: the server's refusal arrives after the client's handshake completes
    });
    await expect(Promise.race([attempt.then(() => 'closed', () => 'closed'), new Promise((r) => setTimeout(() => r('timeout'), 5000))])).resolves.toBe('closed');
    expect(server.switches.has('h8/br-int')).toBe(false);
  });
});

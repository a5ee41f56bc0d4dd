import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { answerDhcp } from '../../src/dhcp/responder.js';
import { LEASE } from './support/client.js';
import { ip, vethPair, type VethPair } from './support/netns.js';

/**
 * A real dhclient gets its lease from answerDhcp: frames cross a veth between two throwaway namespaces, a raw
 * socket on the server side hands them to the responder and sends its replies back. dhclient runs with
 * `-sf <script>` whose only effect is to record the variables it was given, so nothing outside is touched.
 */

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('dhclient against answerDhcp over a veth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-dhclient-'));
  let pair: VethPair | undefined;
  let bridge: ChildProcess | undefined;
  let client: ChildProcess | undefined;

  afterAll(async () => {
    await stop(client);
    await stop(bridge);
    pair?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes DISCOVER, OFFER, REQUEST, ACK to BOUND with the lease options', async () => {
    pair = vethPair('live', LEASE.mac);
    const answered: string[] = [];
    bridge = spawn('ip', ['netns', 'exec', pair.serverNs, 'python3', '-u', join(import.meta.dirname, 'support', 'raw-bridge.py'), pair.serverIf], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let ready = false;
    createInterface({ input: bridge.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        ready = true;
        return;
      }
      const a = answerDhcp(Buffer.from(line, 'hex'), LEASE);
      if (a.kind === 'reply') {
        answered.push(a.messageType);
        bridge!.stdin!.write(a.frame.toString('hex') + '\n');
      }
    });
    await waitFor(() => ready, 10_000, 'the raw socket bridge');

    // The script records what dhclient hands it, per reason (PREINIT, BOUND, ...), and changes nothing.
    const script = join(dir, 'record');
    writeFileSync(script, '#!/bin/sh\nenv | grep -E "^(reason|new_)" | sort > "$0.$reason"\n', { mode: 0o755 });
    client = spawn(
      'ip',
      ['netns', 'exec', pair.clientNs, 'dhclient', '-d', '-1', '-v', '-lf', join(dir, 'lease'), '-pf', join(dir, 'pid'), '-sf', script, pair.clientIf],
      { stdio: 'ignore' },
    );
    const bound = `${script}.BOUND`;
    await waitFor(() => existsSync(bound) && readFileSync(bound, 'utf8').includes('new_ip_address'), 30_000, 'dhclient to reach BOUND');

    expect(answered).toEqual(['offer', 'ack']);
    const env = Object.fromEntries(
      readFileSync(bound, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({
      reason: 'BOUND',
      new_ip_address: '10.0.0.5',
      new_subnet_mask: '255.255.255.0',
      new_routers: '10.0.0.1',
      new_domain_name_servers: '10.0.0.3 8.8.8.8',
      new_interface_mtu: '1450',
      new_domain_name: 'openstacklocal',
      new_host_name: 'vm-1',
      new_dhcp_lease_time: '86400',
      new_dhcp_renewal_time: '43200',
      new_dhcp_rebinding_time: '75600',
      new_dhcp_server_identifier: '10.0.0.2',
      new_rfc3442_classless_static_routes: '32 169 254 169 254 10 0 0 2 0 10 0 0 1',
    });
    // The script configured nothing: the client side still has no address.
    expect(ip('-n', pair.clientNs, '-4', 'addr', 'show', pair.clientIf)).not.toContain('inet ');
  });
});

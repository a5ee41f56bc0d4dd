import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, neutronError, TestApi } from './harness.js';

describe('security groups over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.stop());

  it("creates the project's default group on first use with Neutron's default rules", async () => {
    const list = await api.call('GET', '/v2.0/security-groups', undefined, BOB);
    expect(list.body.security_groups).toHaveLength(1);
    const group = list.body.security_groups[0];
    expect(group).toMatchObject({ name: 'default', project_id: 'bob' });
    const rules = group.security_group_rules.map((r: Record<string, unknown>) => [r.direction, r.ethertype, r.remote_group_id, r.protocol]);
    expect(rules).toEqual([
      ['egress', 'IPv4', null, null],
      ['egress', 'IPv6', null, null],
      ['ingress', 'IPv4', group.id, null],
      ['ingress', 'IPv6', group.id, null],
    ]);
    expect((await api.call('GET', '/v2.0/security-groups', undefined, BOB)).body.security_groups).toHaveLength(1);
  });

  it('creates a group with egress rules, adds, lists and deletes rules', async () => {
    const sg = await api.create('security-groups', 'security_group', { name: 'web', description: 'web' }, ALICE);
    expect(sg.security_group_rules.map((r: { direction: string }) => r.direction)).toEqual(['egress', 'egress']);
    const ssh = await api.create('security-group-rules', 'security_group_rule', {
      security_group_id: sg.id,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '0.0.0.0/0',
    }, ALICE);
    expect(ssh).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' });
    const numeric = await api.create('security-group-rules', 'security_group_rule', {
      security_group_id: sg.id,
      direction: 'ingress',
      protocol: 17,
      port_range_min: 53,
      port_range_max: 53,
      remote_group_id: sg.id,
    }, ALICE);
    expect(numeric.protocol).toBe('17');
    const dup = await api.call('POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: '6', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' },
    }, ALICE);
    expect(dup.body.NeutronError.type).toBe('SecurityGroupRuleExists');
    neutronError(dup, 409);
    const shown = await api.call('GET', `/v2.0/security-groups/${sg.id}`, undefined, ALICE);
    expect(shown.body.security_group.security_group_rules).toHaveLength(4);
    expect((await api.call('DELETE', `/v2.0/security-group-rules/${ssh.id}`, undefined, ALICE)).status).toBe(204);
    expect((await api.call('GET', `/v2.0/security-group-rules?security_group_id=${sg.id}`, undefined, ALICE)).body.security_group_rules).toHaveLength(3);
  });

  it('refuses invalid rules, changing nothing', async () => {
    const sg = await api.create('security-groups', 'security_group', { name: 'strict' }, ALICE);
    const before = await api.snapshot();
    const rule = (attrs: Record<string, unknown>): Promise<import('./harness.js').Reply> =>
      api.call('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', ...attrs } }, ALICE);
    neutronError(await rule({ protocol: 'bogus' }), 400);
    neutronError(await rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }), 400);
    neutronError(await rule({ protocol: 'gre', port_range_min: 1, port_range_max: 2 }), 400);
    neutronError(await rule({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }), 400);
    neutronError(await rule({ remote_ip_prefix: '10.0.0.0/8', remote_group_id: sg.id }), 400);
    neutronError(await rule({ direction: 'sideways' }), 400);
    neutronError(await rule({ port_range_min: 'ssh' }), 400);
    expect(await api.snapshot()).toEqual(before);
  });

  it('refuses to delete a group used by ports; deleting it afterwards drops rules that point at it', async () => {
    const sg = await api.create('security-groups', 'security_group', { name: 'used' }, ALICE);
    const other = await api.create('security-groups', 'security_group', { name: 'other' }, ALICE);
    const pointing = await api.create('security-group-rules', 'security_group_rule', { security_group_id: other.id, direction: 'ingress', remote_group_id: sg.id }, ALICE);
    const net = await api.create('networks', 'network', {}, ALICE);
    const port = await api.create('ports', 'port', { network_id: net.id, security_groups: [sg.id] }, ALICE);
    const r = await api.call('DELETE', `/v2.0/security-groups/${sg.id}`, undefined, ALICE);
    expect(r.body.NeutronError.type).toBe('SecurityGroupInUse');
    neutronError(r, 409);
    await api.call('DELETE', `/v2.0/ports/${port.id}`, undefined, ALICE);
    expect((await api.call('DELETE', `/v2.0/security-groups/${sg.id}`, undefined, ALICE)).status).toBe(204);
    neutronError(await api.call('GET', `/v2.0/security-group-rules/${pointing.id}`, undefined, ALICE), 404);
  });

  it("refuses a port naming another project's group", async () => {
    const bobs = await api.create('security-groups', 'security_group', { name: 'bobs' }, BOB);
    const net = await api.create('networks', 'network', {}, ALICE);
    const r = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [bobs.id] } }, ALICE);
    neutronError(r, 404);
  });
});

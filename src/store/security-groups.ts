import type { Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { baseFields, newDocFields, ownedOr403, visibleOr404 } from './access.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { buildRule, ruleKey, type SecurityGroupRuleInput } from './security-group-rules.js';
import type { Caller, SecurityGroup, SecurityGroupRule } from './types.js';

export interface SecurityGroupInput {
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  tags?: string[];
  stateful?: boolean;
}

type RuleSpec = Pick<SecurityGroupRule, 'direction' | 'ethertype'> & { remote_group_id?: string };

/** Neutron's rules for a new group: all egress; the default group also lets its own members in. */
const EGRESS_RULES: RuleSpec[] = [
  { direction: 'egress', ethertype: 'IPv4' },
  { direction: 'egress', ethertype: 'IPv6' },
];

export class SecurityGroups {
  private readonly defaultOf: Statement;
  private readonly setDefault: Statement;
  private readonly isDefault: Statement;
  private readonly usedByPort: Statement;

  constructor(private readonly ctx: StoreContext) {
    this.defaultOf = ctx.db.prepare('SELECT security_group_id FROM default_security_groups WHERE project_id = ?').pluck();
    this.setDefault = ctx.db.prepare('INSERT INTO default_security_groups (project_id, security_group_id) VALUES (?, ?)');
    this.isDefault = ctx.db.prepare('SELECT project_id FROM default_security_groups WHERE security_group_id = ?').pluck();
    this.usedByPort = ctx.db
      .prepare(`SELECT ports.id FROM ports, json_each(ports.doc, '$.security_groups') sg WHERE sg.value = ? LIMIT 1`)
      .pluck();
  }

  list(caller: Caller): SecurityGroup[] {
    if (caller.projectId) this.ensureDefault(caller.projectId);
    const groups = caller.admin
      ? this.ctx.docs.security_group.all()
      : this.ctx.docs.security_group.where('project_id', caller.projectId);
    return groups.map((g) => this.withRules(g));
  }

  get(caller: Caller, id: string): SecurityGroup {
    return this.withRules(visibleOr404(caller, this.ctx.docs.security_group.get(id), 'Security group', id));
  }

  create(caller: Caller, input: SecurityGroupInput): SecurityGroup {
    return this.ctx.write(() => {
      const base = baseFields(caller, input, 'create_security_group');
      this.ensureDefault(base.project_id);
      return this.insertGroup(base.project_id, { ...input, project_id: base.project_id }, EGRESS_RULES);
    });
  }

  update(caller: Caller, id: string, input: SecurityGroupInput): SecurityGroup {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.security_group.get(id), 'Security group', id, 'update_security_group');
      if (input.name !== undefined && input.name !== 'default' && this.isDefault.get(id) !== undefined) {
        throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
      }
      const { project_id: _p, tenant_id: _t, ...changes } = input;
      return this.withRules(this.ctx.docs.security_group.update(before, { ...before, ...changes, security_group_rules: [] }));
    });
  }

  delete(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const group = ownedOr403(caller, this.ctx.docs.security_group.get(id), 'Security group', id, 'delete_security_group');
      if (!caller.admin && this.isDefault.get(id) !== undefined) {
        throw conflict('SecurityGroupCannotRemoveDefault', 'Removing default security group not allowed.');
      }
      if (this.usedByPort.get(id) !== undefined) {
        throw conflict('SecurityGroupInUse', `Security Group ${id} in use.`);
      }
      // Its own rules, and other groups' rules that name it as remote group (Neutron cascades those too).
      const rules = new Map(
        [
          ...this.ctx.docs.security_group_rule.where('security_group_id', id),
          ...this.ctx.docs.security_group_rule.where('remote_group_id', id),
        ].map((r) => [r.id, r]),
      );
      for (const rule of rules.values()) this.ctx.docs.security_group_rule.delete(rule);
      this.ctx.db.prepare('DELETE FROM default_security_groups WHERE security_group_id = ?').run(id);
      this.ctx.docs.security_group.delete(group);
    });
  }

  /** The project's "default" group, created (with Neutron's default rules) on first use. */
  ensureDefault(projectId: string): string {
    const existing = this.defaultOf.get(projectId) as string | undefined;
    if (existing) return existing;
    return this.ctx.write(() => {
      const id = randomUUID();
      const rules: RuleSpec[] = [
        ...EGRESS_RULES,
        { direction: 'ingress', ethertype: 'IPv4', remote_group_id: id },
        { direction: 'ingress', ethertype: 'IPv6', remote_group_id: id },
      ];
      this.setDefault.run(projectId, id);
      this.insertGroup(projectId, { name: 'default', description: 'Default security group', project_id: projectId }, rules, id);
      return id;
    });
  }

  /** Groups named in a port request must exist and be visible to the caller; returns their ids. */
  resolve(caller: Caller, ids: string[]): string[] {
    for (const id of ids) visibleOr404(caller, this.ctx.docs.security_group.get(id), 'Security group', id);
    return [...new Set(ids)];
  }

  listRules(caller: Caller): SecurityGroupRule[] {
    if (caller.projectId) this.ensureDefault(caller.projectId);
    return caller.admin
      ? this.ctx.docs.security_group_rule.all()
      : this.ctx.docs.security_group_rule.where('project_id', caller.projectId);
  }

  getRule(caller: Caller, id: string): SecurityGroupRule {
    return visibleOr404(caller, this.ctx.docs.security_group_rule.get(id), 'Security group rule', id);
  }

  createRule(caller: Caller, input: SecurityGroupRuleInput): SecurityGroupRule {
    return this.ctx.write(() => {
      if (!input.security_group_id) throw badRequest("Failed to parse request. Required attribute 'security_group_id' not specified");
      const group = ownedOr403(
        caller,
        this.ctx.docs.security_group.get(input.security_group_id),
        'Security group',
        input.security_group_id,
        'create_security_group_rule',
      );
      const rule = this.newRule(group.project_id, input);
      this.refuseDuplicate(rule);
      return this.ctx.docs.security_group_rule.insert(rule);
    });
  }

  updateRule(caller: Caller, id: string, input: { description?: string }): SecurityGroupRule {
    return this.ctx.write(() => {
      const before = ownedOr403(caller, this.ctx.docs.security_group_rule.get(id), 'Security group rule', id, 'update_security_group_rule');
      return this.ctx.docs.security_group_rule.update(before, { ...before, ...input });
    });
  }

  deleteRule(caller: Caller, id: string): void {
    this.ctx.write(() => {
      const rule = ownedOr403(caller, this.ctx.docs.security_group_rule.get(id), 'Security group rule', id, 'delete_security_group_rule');
      this.ctx.docs.security_group_rule.delete(rule);
    });
  }

  private insertGroup(projectId: string, input: SecurityGroupInput, rules: RuleSpec[], id = randomUUID()): SecurityGroup {
    const group: SecurityGroup = {
      ...newDocFields(projectId, input, id),
      stateful: input.stateful ?? true,
      security_group_rules: [],
    };
    this.ctx.docs.security_group.insert(group);
    for (const spec of rules) {
      this.ctx.docs.security_group_rule.insert(this.newRule(projectId, { ...spec, security_group_id: id }));
    }
    return this.withRules(group);
  }

  private newRule(projectId: string, input: SecurityGroupRuleInput): SecurityGroupRule {
    return buildRule(projectId, input, (id) => this.ctx.docs.security_group.get(id) !== undefined);
  }

  private refuseDuplicate(rule: SecurityGroupRule): void {
    const mine = ruleKey(rule);
    const same = this.ctx.docs.security_group_rule.where('security_group_id', rule.security_group_id).find((r) => ruleKey(r) === mine);
    if (same) throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${same.id}.`);
  }

  private withRules(group: SecurityGroup): SecurityGroup {
    return { ...group, security_group_rules: this.ctx.docs.security_group_rule.where('security_group_id', group.id) };
  }
}

import { randomUUID } from 'node:crypto';
import { timestamp } from './doc-table.js';
import { forbidden, notFound } from './errors.js';
import type { BaseDoc, Caller, Network } from './types.js';

/**
 * Neutron's default policy, reduced: admins see everything; members see their project's resources, and networks
 * that are shared or external. Something a member cannot see is "not found", never "forbidden".
 */
export function canSee(caller: Caller, doc: { project_id: string }): boolean {
  if (caller.admin || doc.project_id === caller.projectId) return true;
  const net = doc as Partial<Network>;
  return net.shared === true || net['router:external'] === true;
}

export function visibleOr404<T extends { project_id: string }>(
  caller: Caller,
  doc: T | undefined,
  label: string,
  id: string,
): T {
  if (!doc || !canSee(caller, doc)) throw notFound(label, id);
  return doc;
}

/** The resource must be visible and the caller must own it (or be admin) to change it. */
export function ownedOr403<T extends { project_id: string }>(
  caller: Caller,
  doc: T | undefined,
  label: string,
  id: string,
  action: string,
): T {
  const visible = visibleOr404(caller, doc, label, id);
  if (!caller.admin && visible.project_id !== caller.projectId) throw forbidden(`rule:${action} is disallowed by policy`);
  return visible;
}

/** A member may only name its own project; an admin any. */
export function projectFor(caller: Caller, input: { project_id?: string; tenant_id?: string }, action: string): string {
  const asked = input.project_id ?? input.tenant_id;
  if (asked !== undefined && asked !== caller.projectId && !caller.admin) {
    throw forbidden(`rule:${action} is disallowed by policy`);
  }
  return asked ?? caller.projectId;
}

export function adminOr403(caller: Caller, what: string): void {
  if (!caller.admin) throw forbidden(`rule:${what} is disallowed by policy`);
}

/** Fields every resource has, filled from the request. */
export function baseFields(
  caller: Caller,
  input: { name?: string; description?: string; tags?: string[]; project_id?: string; tenant_id?: string },
  action: string,
): BaseDoc {
  return newDocFields(projectFor(caller, input, action), input);
}

/** The common fields of a new document owned by `projectId` (no policy check: callers decided the project). */
export function newDocFields(
  projectId: string,
  input: { name?: string; description?: string; tags?: string[] },
  id: string = randomUUID(),
): BaseDoc {
  const now = timestamp();
  return {
    id,
    name: input.name ?? '',
    description: input.description ?? '',
    project_id: projectId,
    tenant_id: projectId,
    tags: input.tags ?? [],
    created_at: now,
    updated_at: now,
    revision_number: 0,
  };
}

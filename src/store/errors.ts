/**
 * Errors the store refuses a request with. They carry the HTTP status and the Neutron exception name so the API
 * answers exactly like Neutron (`{"NeutronError": {type, message, detail}}`) without a mapping table.
 */
export class NeutronError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 500 | 503,
    readonly type: string,
    message: string,
    readonly detail = '',
  ) {
    super(message);
    this.name = 'NeutronError';
  }
}

export const badRequest = (message: string, type = 'BadRequest'): NeutronError => new NeutronError(400, type, message);

export const conflict = (type: string, message: string): NeutronError => new NeutronError(409, type, message);

export const forbidden = (message: string, type = 'PolicyNotAuthorized'): NeutronError =>
  new NeutronError(403, type, message);

/** `kind` is Neutron's capitalised resource name, e.g. "Network" → type NetworkNotFound. */
export const notFound = (kind: string, id: string): NeutronError =>
  new NeutronError(404, `${kind.replace(/ /g, '')}NotFound`, `${kind} ${id} could not be found.`);

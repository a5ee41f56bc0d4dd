import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { NeutronError } from '../store/errors.js';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Sends `{"NeutronError": {type, message, detail}}` the way Neutron does (the CLI prints `message`). */
export function sendNeutronError(reply: FastifyReply, status: number, type: string, message: string, detail = ''): FastifyReply {
  return reply.code(status).type('application/json').send({ NeutronError: { type, message, detail } });
}

/** Every error leaves as a NeutronError body: store refusals, schema violations, bad JSON, unknown paths. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof NeutronError) return sendNeutronError(reply, error.status, error.type, error.message, error.detail);
    if (error.validation) {
      return sendNeutronError(reply, 400, 'HTTPBadRequest', describeValidation(error.validation as AjvIssue[]));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? `Malformed request body: ${error.message}`
        : error.message;
      return sendNeutronError(reply, status, 'HTTPBadRequest', message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendNeutronError(reply, 500, 'InternalError', 'Request Failed: internal server error while processing your request.');
  });
  app.setNotFoundHandler((request, reply) =>
    sendNeutronError(reply, 404, 'HTTPNotFound', `The resource could not be found: ${request.method} ${request.url.split('?')[0]}`),
  );
}

/** Neutron-like wording for the first schema violation. */
function describeValidation(issues: AjvIssue[]): string {
  const issue = issues[0];
  const path = issue.instancePath.split('/').filter(Boolean);
  const field = path.filter((p) => !/^\d+$/.test(p)).slice(1).join('.') || path.join('.') || 'body';
  switch (issue.keyword) {
    case 'additionalProperties':
      return `Unrecognized attribute(s) '${String(issue.params.additionalProperty)}'`;
    case 'required':
      return `Failed to parse request. Required attribute '${String(issue.params.missingProperty)}' not specified`;
    case 'maxProperties':
    case 'minProperties':
      return 'Invalid request body: expected exactly one resource envelope';
    default:
      return `Invalid input for ${field}. Reason: ${issue.message ?? issue.keyword}.`;
  }
}

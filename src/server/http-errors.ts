/** The only place that maps errors to HTTP: AppError codes and Fastify's own 4xx errors. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, messageOf, type ErrorCode } from '../errors.js';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  timeout: 408,
  unavailable: 503,
  config: 500,
  store: 503,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (isAppError(err)) {
    const status = statusOf(err.code);
    if (status === 503) reply.header('Retry-After', '5');
    if (status >= 500) request.log.error({ err }, 'request failed');
    void reply.status(status).send(errorBody(err.code, err.message));
    return;
  }
  const fastifyError = err as FastifyError;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    void reply.status(status).send(errorBody(code, messageOf(err)));
    return;
  }
  request.log.error({ err }, 'unexpected error');
  void reply.status(500).send(errorBody('internal', 'internal error'));
}

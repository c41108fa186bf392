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

/** How an error is answered: status, extra headers, JSON body, and whether it is logged as ours. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: ReturnType<typeof errorBody>;
  /** A 5xx or an unexpected error: the server's fault, logged. */
  log: boolean;
}

/** The one mapping from an error to its answer, for Fastify's routes and the collector's fast path. */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (isAppError(err)) {
    const status = statusOf(err.code);
    return { status, headers: status === 503 ? { 'retry-after': '5' } : {}, body: errorBody(err.code, err.message), log: status >= 500 };
  }
  const status = (err as Partial<FastifyError> | null)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return { status, headers: {}, body: errorBody(code, messageOf(err)), log: false };
  }
  return { status: 500, headers: {}, body: errorBody('internal', 'internal error'), log: true };
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const answer = errorAnswer(err);
  if (answer.log) request.log.error({ err }, isAppError(err) ? 'request failed' : 'unexpected error');
  void reply.status(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * The Stats API (/api/v2/*), every route behind API-key auth:
 * POST /query (Plausible v2 shaped), GET /reports/:name (the original's six reports),
 * GET /export (streamed CSV / NDJSON), GET /realtime, POST /sql (admin keys only).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { requireAdmin, requireRawAccess, siteForPrincipal } from '../../query/access.js';
import { parseDateRangeSpec } from '../../query/date-range.js';
import { exportEvents, parseExportFormat } from '../../query/export.js';
import { parseQuery } from '../../query/parse-query.js';
import { realtime } from '../../query/realtime.js';
import { parseReportName, parseReportOptions, runReport } from '../../query/reports.js';
import { runQuery, type QueryEnv } from '../../query/run-query.js';
import { resolveSiteRange } from '../../query/site-range.js';
import { createApiKeyAuth } from '../auth/api-key-auth.js';
import type { AppDeps } from '../deps.js';
import { queryPrincipalFromBrowser } from '../session/query-principal.js';

/** The HTTP SQL console's limits (the CLI's `footfall sql` uses the same). */
const SQL_LIMITS = { timeoutMs: 10_000, maxRows: 10_000 };

type QueryString = Record<string, string | string[] | undefined>;

function single(qs: QueryString, name: string): string | undefined {
  const value = qs[name];
  if (Array.isArray(value)) throw new AppError('invalid_query', `${name}: given more than once`, { field: name });
  return value;
}

/** date_range in a query string: "7d", "2024-01-01,2024-01-31" or a JSON array. */
function dateRangeParam(qs: QueryString): unknown {
  const value = single(qs, 'date_range') ?? '7d';
  if (value.startsWith('[')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new AppError('invalid_query', 'date_range: not valid JSON', { field: 'date_range' });
    }
  }
  return value.includes(',') ? value.split(',').map((s) => s.trim()) : value;
}

export async function statsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    const auth = createApiKeyAuth(deps.store, deps.adminToken, (request) => queryPrincipalFromBrowser(request, deps));
    auth.install(scope);
    const env: QueryEnv = { store: deps.store, clock: deps.clock };

    scope.post('/api/v2/query', async (request) => {
      const query = parseQuery(request.body);
      const site = await siteForPrincipal(deps.store, auth.principalOf(request), query.siteId);
      return runQuery(env, query, site);
    });

    scope.get<{ Params: { name: string } }>('/api/v2/reports/:name', async (request) => {
      const qs = request.query as QueryString;
      const name = parseReportName(request.params.name);
      requireRawAccess(auth.principalOf(request), name);
      const options = parseReportOptions(
        { range: dateRangeParam(qs), by: single(qs, 'by'), bucketHours: single(qs, 'bucket_hours'), limit: single(qs, 'limit') },
        { range: 'date_range', by: 'by', bucketHours: 'bucket_hours', limit: 'limit' },
      );
      const site = await siteForPrincipal(deps.store, auth.principalOf(request), single(qs, 'site_id'));
      return runReport(env, site, name, options);
    });

    scope.get('/api/v2/export', async (request, reply) => {
      requireRawAccess(auth.principalOf(request), 'export');
      const qs = request.query as QueryString;
      const format = parseExportFormat(single(qs, 'format'));
      const spec = parseDateRangeSpec(dateRangeParam(qs), 'date_range');
      const site = await siteForPrincipal(deps.store, auth.principalOf(request), single(qs, 'site_id'));
      const range = await resolveSiteRange(deps.store, deps.clock, site, spec);
      const filename = `${site.domain}-events.${format === 'csv' ? 'csv' : 'ndjson'}`;
      void reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`);
      // Readable.from honours back-pressure: rows are pulled only as fast as the client reads.
      return reply.send(Readable.from(exportEvents(env, site, range, format)));
    });

    scope.get('/api/v2/realtime', async (request) => {
      const qs = request.query as QueryString;
      const site = await siteForPrincipal(deps.store, auth.principalOf(request), single(qs, 'site_id'));
      return realtime(env, site);
    });

    scope.post('/api/v2/sql', async (request) => {
      requireAdmin(auth.principalOf(request), 'the SQL console');
      const body = request.body as { sql?: unknown } | undefined;
      if (!body || typeof body.sql !== 'string' || body.sql.trim() === '') {
        throw new AppError('bad_request', 'sql: expected {"sql": "select ..."}', { field: 'sql' });
      }
      return deps.store.readOnlySql(body.sql, SQL_LIMITS);
    });
  });
}

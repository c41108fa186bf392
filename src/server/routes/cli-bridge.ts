/**
 * POST /api/internal/cli: runs a CLI command inside this process, for a `footfall` CLI on the
 * same machine while this server holds the (single-writer) DuckDB file. Only the local
 * admin token from server.json (mode 0600) is accepted.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { runCommand } from '../../cli/run-command.js';
import type { AppDeps } from '../deps.js';
import { bearerToken, isAdminToken } from '../admin-token.js';

interface CliRequest {
  name: string;
  argv: string[];
  stdin?: string;
}

export async function cliBridgeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post('/api/internal/cli', { bodyLimit: 1024 * 1024 }, async (request) => {
    if (!isAdminToken(bearerToken(request), deps.adminToken)) throw new AppError('unauthorized', 'the CLI bridge needs the local admin token');
    const body = request.body as Partial<CliRequest> | undefined;
    if (!body || typeof body.name !== 'string' || !Array.isArray(body.argv) || !body.argv.every((a) => typeof a === 'string')) {
      throw new AppError('bad_request', 'expected {name, argv: string[]}');
    }
    let stdout = '';
    let stderr = '';
    const code = await runCommand(body.name, body.argv, {
      store: deps.store,
      clock: deps.clock,
      stdout: (text) => { stdout += text; },
      stderr: (text) => { stderr += text; },
      stdin: typeof body.stdin === 'string' ? body.stdin : undefined,
    });
    return { code, stdout, stderr };
  });
}

/** createApp(deps): the Fastify app, built only from injected dependencies. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.js';
import { handleError } from './http-errors.js';
import { cliBridgeRoutes } from './routes/cli-bridge.js';
import { collectRoutes } from './routes/collect.js';
import { healthRoutes } from './routes/health.js';

export type { AppDeps } from './deps.js';

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Keep-alive connections from load balancers and beacons; closed promptly on shutdown.
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
  await app.register(async (scope) => collectRoutes(scope, deps));
  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => cliBridgeRoutes(scope, deps));
  return app;
}

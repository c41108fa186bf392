/** createApp(deps): the Fastify app, built only from injected dependencies. */
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.js';
import { handleError } from './http-errors.js';
import { cliBridgeRoutes } from './routes/cli-bridge.js';
import { collectRoutes } from './routes/collect.js';
import { createCollectFastPath } from './routes/collect-fast.js';
import { healthRoutes } from './routes/health.js';
import { statsRoutes } from './routes/stats-api.js';
import { accountsAuthRoutes } from './routes/accounts-auth.js';
import { accountsUserRoutes } from './routes/accounts-users.js';
import { settingsDropLogRoutes } from './routes/settings-drop-log.js';
import { settingsSiteRoutes } from './routes/settings-sites.js';
import { shareLinkRoutes } from './routes/share-links.js';
import { uiStaticRoutes } from './routes/ui-static.js';

export type { AppDeps } from './deps.js';

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  // The collector's hot routes are answered by a plain node:http handler in front of Fastify
  // (routes/collect-fast.ts); everything else, and everything once closing starts, is Fastify's.
  const fastPath = createCollectFastPath(deps, (err) => app.log.error({ err }, 'request failed'));
  const app: FastifyInstance = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Keep-alive connections from load balancers and beacons; closed promptly on shutdown.
    forceCloseConnections: true,
    return503OnClosing: true,
    serverFactory: (handler) => {
      const server = http.createServer((request, response) => {
        if (!fastPath.handle(request, response)) handler(request, response);
      });
      // Fastify's defaults for a server it creates itself (keepAliveTimeout, requestTimeout, connectionTimeout).
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = 0;
      server.setTimeout(0);
      return server;
    },
  });
  app.addHook('preClose', (done) => {
    fastPath.stop();
    done();
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
  await app.register(async (scope) => collectRoutes(scope, deps));
  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => cliBridgeRoutes(scope, deps));
  await app.register(async (scope) => statsRoutes(scope, deps));
  // The dashboard: its pages, accounts, settings and share links.
  await app.register(async (scope) => uiStaticRoutes(scope, deps));
  await app.register(async (scope) => accountsAuthRoutes(scope, deps));
  await app.register(async (scope) => accountsUserRoutes(scope, deps));
  await app.register(async (scope) => settingsSiteRoutes(scope, deps));
  await app.register(async (scope) => shareLinkRoutes(scope, deps));
  await app.register(async (scope) => settingsDropLogRoutes(scope, deps));
  return app;
}

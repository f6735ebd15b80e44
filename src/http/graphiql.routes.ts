import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { projectRoot } from './project-root';

/** The page's own policy: everything from this origin, except the fonts its stylesheet inlines. */
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

/**
 * GraphiQL at /graphiql, from the bundle `npm run build` writes to dist/web/graphiql.
 * Off (not mounted) when config.graphiql is false; it needs introspection to load the schema.
 */
export function graphiqlRouter(args: { config: Config; logger: Logger; bundleDir?: string }): Router {
  const router = express.Router();
  if (!args.config.graphiql) return router;
  if (!args.config.allowIntrospection) {
    args.logger.warn('GRAPHIQL is on but ALLOW_INTROSPECTION is off: GraphiQL at /graphiql cannot load the schema');
  }
  const bundle = args.bundleDir ?? path.join(projectRoot(), 'dist', 'web', 'graphiql');
  router.use('/graphiql', (_req, res, next) => {
    res.setHeader('content-security-policy', GRAPHIQL_CSP);
    if (existsSync(path.join(bundle, 'index.html'))) return next();
    res.status(503).type('text/plain; charset=utf-8').send('GraphiQL not built: run npm run build\n');
  });
  // /graphiql and /graphiql/ are both the page: it references its files by absolute path.
  router.get(['/graphiql', '/graphiql/'], (_req, res) => res.sendFile(path.join(bundle, 'index.html')));
  router.use('/graphiql', express.static(bundle, { index: false, redirect: false }));
  return router;
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { projectRoot } from './project-root';

const NOT_BUILT = 'console not built: run npm run build';

/**
 * The planner console at /console: the page bundled by `npm run build` (dist/web/console),
 * served as static files. Its script talks to /graphql with the planner's token; the page
 * itself is public. 503 while the bundle is missing.
 */
export function consoleRouter(args: { logger: Logger; root?: string }): Router {
  const bundle = path.join(args.root ?? projectRoot(), 'dist', 'web', 'console');
  const indexFile = path.join(bundle, 'index.html');
  let built = false;
  let warned = false;
  const router = express.Router();

  router.use('/console', (_req, res, next) => {
    built ||= existsSync(indexFile);
    if (built) return next();
    if (!warned) args.logger.warn({ bundle }, NOT_BUILT);
    warned = true;
    res.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
  });
  // The file names carry no hash: browsers revalidate (ETag) instead of caching blindly.
  const noCache = { 'cache-control': 'no-cache' };
  router.get('/console', (_req, res, next) =>
    res.sendFile(indexFile, { headers: noCache }, (error) => error && next(error)),
  );
  router.use(
    '/console',
    express.static(bundle, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
    }),
    (_req: express.Request, res: express.Response) =>
      res.status(404).type('text/plain; charset=utf-8').send('Not found'),
  );
  return router;
}

import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/faults';
import { createContext, type Context } from '../../core/context';
import { apiKeyChecker } from './api-keys';
import { ENDPOINT_CHANGESET, Open311Error, SPECIFICATION_URL } from './open311.mapping';
import { Open311RateLimitedError, open311RateLimits } from './open311.rate-limits';
import { fileRequest, findRequest, findRequests, listServices, serviceDefinition } from './open311.service';

const RESOURCE = /^\/(discovery|services|requests)(\/[^/]+)?\.([A-Za-z0-9]+)$/i;

/**
 * The Open311 GeoReport v2 facade (docs/open311.md), mounted at /open311/v2: JSON only,
 * errors as the spec's [{ code, description }] with the same HTTP status.
 */
export function open311Router(args: { config: Config; dataSource: DataSource; logger: Logger }): Router {
  const { config, dataSource, logger } = args;
  const router = express.Router();
  const clientOfKey = apiKeyChecker(config.open311ApiKeys);
  const limits = open311RateLimits(config);

  const sendError = (res: Response, error: unknown) => {
    let refusal: Open311Error;
    if (error instanceof Open311Error) refusal = error;
    else if (isDatabaseUnavailable(error)) {
      logger.error({ err: error, requestId: res.locals.requestId }, 'database unavailable');
      refusal = new Open311Error(503, 'The database is unavailable: try again later');
      res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    } else {
      logger.error({ err: error, requestId: res.locals.requestId }, 'open311 request failed');
      refusal = new Open311Error(500, 'Internal server error');
    }
    if (refusal instanceof Open311RateLimitedError) res.setHeader('retry-after', String(refusal.retryAfterSeconds));
    res.status(refusal.status).json(refusal.toBody());
  };

  /** Spends the caller's call budget, runs `work` and sends its answer (or the spec's error). */
  const handle =
    (work: (req: Request, ctx: Context) => Promise<unknown>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await limits.call(req.ip ?? 'unknown');
        const requestId = res.locals.requestId as string;
        const ctx = createContext({ requestId, user: null, clientIp: req.ip, dataSource, config, logger: logger.child({ requestId }) });
        res.json(await work(req, ctx));
      } catch (error) {
        sendError(res, error);
      }
    };

  router.get(
    '/discovery.json',
    handle(async (req) => ({
      changeset: ENDPOINT_CHANGESET,
      contact: 'Guiyang livelihood-services platform (筑民生): the platform operator issues API keys for POST requests.json',
      key_service: 'API keys are issued by the platform operator; GET calls need none',
      endpoints: [
        {
          specification: SPECIFICATION_URL,
          url: `${req.protocol}://${req.get('host')}${req.baseUrl}`,
          changeset: ENDPOINT_CHANGESET,
          type: config.nodeEnv === 'production' ? 'production' : 'test',
          formats: ['application/json'],
        },
      ],
    })),
  );
  router.get('/services.json', handle((_req, ctx) => listServices(ctx)));
  router.get('/services/:code.json', handle((req, ctx) => serviceDefinition(ctx, String(req.params.code))));
  router.get('/requests.json', handle((req, ctx) => findRequests(ctx, req.query)));
  router.get('/requests/:id.json', handle((req, ctx) => findRequest(ctx, String(req.params.id))));
  router.post(
    '/requests.json',
    express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 100 }),
    handle(async (req, ctx) => {
      if (!req.is('application/x-www-form-urlencoded')) {
        throw new Open311Error(400, 'POST requests.json takes a form-encoded body (application/x-www-form-urlencoded)');
      }
      const body = req.body as Record<string, string | string[] | undefined>;
      const client = typeof body.api_key === 'string' ? clientOfKey(body.api_key) : null;
      if (!client) throw new Open311Error(403, 'api_key was not provided or is not valid');
      await limits.write(client);
      return fileRequest(ctx, client, body);
    }),
  );

  // Other formats, methods and paths.
  router.use((req: Request, res: Response) => {
    const resource = RESOURCE.exec(req.path);
    const [, name = '', item, format = ''] = resource ?? [];
    const known = resource !== null && !(name.toLowerCase() === 'discovery' && item);
    if (known && format.toLowerCase() !== 'json') {
      const jsonPath = `${req.baseUrl}${req.path.slice(0, -format.length)}json`;
      return sendError(res, new Open311Error(400, `Only the JSON format is served (see discovery.json): ask for ${jsonPath}`));
    }
    if (known) {
      res.setHeader('allow', name.toLowerCase() === 'requests' && !item ? 'GET, POST' : 'GET');
      return sendError(res, new Open311Error(405, `${req.method} is not allowed on ${req.baseUrl}${req.path}`));
    }
    return sendError(
      res,
      new Open311Error(404, 'No such resource: discovery.json, services.json, services/{service_code}.json, requests.json, requests/{service_request_id}.json'),
    );
  });
  // Body parser refusals: too large (413), malformed or in an unknown charset (400).
  router.use((error: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status === 413) return sendError(res, new Open311Error(413, `Request body too large (at most ${config.bodyLimit}, 100 fields)`));
    if (status < 500) return sendError(res, new Open311Error(400, 'Malformed form body (UTF-8, application/x-www-form-urlencoded)'));
    return sendError(res, error);
  });
  return router;
}

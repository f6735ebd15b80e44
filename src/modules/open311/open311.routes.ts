import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/faults';
import { createContext, type Context } from '../../core/context';
import { apiKeyChecker } from './api-keys';
import { ENDPOINT_CHANGESET, Open311Error, SPECIFICATION_URL } from './open311.mapping';
import { Open311RateLimitedError, open311RateLimits } from './open311.rate-limits';
import { OPEN311_FORMATS, toOpen311Xml, type Open311Format } from './open311.xml';
import { fileRequest, findRequest, findRequests, listServices, serviceDefinition } from './open311.service';

const RESOURCE = /^\/(discovery|services|requests)(\/[^/]+)?\.([A-Za-z0-9]+)$/i;

/** The answer in the format asked for. */
function send(res: Response, format: Open311Format, root: string, body: unknown): void {
  if (format === 'xml') res.type('application/xml').send(toOpen311Xml(root, body));
  else res.json(body);
}

/** The format of a request: its path's suffix when known, else the Accept header (JSON by default). */
function formatOf(req: Request): Open311Format {
  const suffix = /\.([A-Za-z0-9]+)$/.exec(req.path)?.[1]?.toLowerCase();
  if (suffix === 'xml' || suffix === 'json') return suffix;
  const best = req.accepts(['application/json', 'application/xml', 'text/xml']);
  return best === 'application/xml' || best === 'text/xml' ? 'xml' : 'json';
}

type SendError = (res: Response, error: unknown, format?: Open311Format) => void;

/** Sends an error as the spec's list of errors: a refusal as it is, anything else logged, as 503 or 500. */
function errorSender(logger: Logger): SendError {
  return (res, error, format = formatOf(res.req)) => {
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
    send(res.status(refusal.status), format, 'errors', refusal.toBody());
  };
}

/** The discovery document: this endpoint, its formats and how keys are issued. */
function discovery(req: Request, config: Config): unknown {
  return {
    changeset: ENDPOINT_CHANGESET,
    contact:
      'Guiyang livelihood-services platform (筑民生): the platform operator issues API keys for POST requests.json',
    key_service: 'API keys are issued by the platform operator; GET calls need none',
    endpoints: [
      {
        specification: SPECIFICATION_URL,
        url: `${req.protocol}://${req.get('host')}${req.baseUrl}`,
        changeset: ENDPOINT_CHANGESET,
        type: config.nodeEnv === 'production' ? 'production' : 'test',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}

/** POST requests.{format}: a form-encoded body whose api_key names a client, within its write budget. */
function postedRequest(
  format: Open311Format,
  clientOfKey: ReturnType<typeof apiKeyChecker>,
  limits: ReturnType<typeof open311RateLimits>,
) {
  return async (req: Request, ctx: Context): Promise<unknown> => {
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new Open311Error(
        400,
        `POST requests.${format} takes a form-encoded body (application/x-www-form-urlencoded)`,
      );
    }
    const body = req.body as Record<string, string | string[] | undefined>;
    const client = typeof body.api_key === 'string' ? clientOfKey(body.api_key) : null;
    if (!client) throw new Open311Error(403, 'api_key was not provided or is not valid');
    await limits.write(client);
    return fileRequest(ctx, client, body);
  };
}

/** Other formats (400), methods (405, with Allow) and paths (404). */
function unknownResource(sendError: SendError) {
  return (req: Request, res: Response) => {
    const resource = RESOURCE.exec(req.path);
    const [, name = '', item, format = ''] = resource ?? [];
    const known = resource !== null && !(name.toLowerCase() === 'discovery' && item);
    if (known && !OPEN311_FORMATS.includes(format.toLowerCase() as Open311Format)) {
      const jsonPath = `${req.baseUrl}${req.path.slice(0, -format.length)}json`;
      return sendError(
        res,
        new Open311Error(400, `The formats served are json and xml (see discovery.json): ask for ${jsonPath}`),
      );
    }
    if (known) {
      res.setHeader('allow', name.toLowerCase() === 'requests' && !item ? 'GET, POST' : 'GET');
      return sendError(res, new Open311Error(405, `${req.method} is not allowed on ${req.baseUrl}${req.path}`));
    }
    return sendError(
      res,
      new Open311Error(
        404,
        'No such resource: discovery.json, services.json, services/{service_code}.json, requests.json, requests/{service_request_id}.json',
      ),
    );
  };
}

/**
 * Body parser refusals: too large (413), malformed or in an unknown charset (400); and a path
 * whose percent-encoding is not UTF-8 (`services/%FF.json`: Express's URIError, 400).
 */
function formBodyErrors(config: Config, sendError: SendError) {
  return (error: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status === 413)
      return sendError(res, new Open311Error(413, `Request body too large (at most ${config.bodyLimit}, 100 fields)`));
    if (error instanceof URIError)
      return sendError(res, new Open311Error(400, 'Malformed path: its percent-encoding is not UTF-8'));
    if (status < 500)
      return sendError(res, new Open311Error(400, 'Malformed form body (UTF-8, application/x-www-form-urlencoded)'));
    return sendError(res, error);
  };
}

/**
 * The Open311 GeoReport v2 facade (docs/open311.md), mounted at /open311/v2: JSON and XML
 * (the format suffix, .json or .xml, decides; where there is none, the Accept header), errors
 * as the spec's [{ code, description }] (<errors><error>…) with the same HTTP status.
 */
export function open311Router(args: { config: Config; dataSource: DataSource; logger: Logger }): Router {
  const { config, dataSource, logger } = args;
  const router = express.Router();
  const clientOfKey = apiKeyChecker(config.open311ApiKeys);
  const limits = open311RateLimits(config);
  const sendError = errorSender(logger);

  /** Spends the caller's call budget, runs `work` and sends its answer (or the spec's error). */
  const handle =
    (format: Open311Format, root: string, work: (req: Request, ctx: Context) => Promise<unknown>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await limits.call(req.ip ?? 'unknown');
        const requestId = res.locals.requestId as string;
        const ctx = createContext({
          requestId,
          user: null,
          clientIp: req.ip,
          dataSource,
          config,
          logger: logger.child({ requestId }),
        });
        send(res, format, root, await work(req, ctx));
      } catch (error) {
        sendError(res, error, format);
      }
    };

  for (const format of OPEN311_FORMATS) {
    router.get(
      `/discovery.${format}`,
      handle(format, 'discovery', async (req) => discovery(req, config)),
    );
    router.get(
      `/services.${format}`,
      handle(format, 'services', (_req, ctx) => listServices(ctx)),
    );
    router.get(
      `/services/:code.${format}`,
      handle(format, 'service_definition', (req, ctx) => serviceDefinition(ctx, String(req.params.code))),
    );
    router.get(
      `/requests.${format}`,
      handle(format, 'service_requests', (req, ctx) => findRequests(ctx, req.query)),
    );
    router.get(
      `/requests/:id.${format}`,
      handle(format, 'service_requests', (req, ctx) => findRequest(ctx, String(req.params.id))),
    );
    router.post(
      `/requests.${format}`,
      express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 100 }),
      handle(format, 'service_requests', postedRequest(format, clientOfKey, limits)),
    );
  }
  router.use(unknownResource(sendError));
  router.use(formBodyErrors(config, sendError));
  return router;
}

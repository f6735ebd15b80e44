import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createAuthenticator } from './core/authenticate';
import { createContext, readFromPrimary, type Context } from './core/context';
import type { ReadRouting } from './db/read-routing';
import { createErrorFormatter } from './graphql/format-error';
import { getSchema } from './graphql/schema';
import { operationLimits } from './graphql/armor';
import { stringifyMeasuredResult } from './graphql/response-size';
import { compiledExecutionGateway } from './graphql/compiled-execution';
import { inputChecksPlugin } from './core/input-checks';
import { MAX_RECORDED_OPERATION_NAME } from './core/limits';
import { publicResponseCache } from './graphql/response-cache';
import { contextCreationError, databaseUnavailableStatus } from './graphql/unavailable-status';
import { healthRoutes } from './http/health.routes';
import { drainPlugin, keepAliveDrain } from './http/keep-alive-drain';
import { apolloHandler, directPath, expressMessages, replayedHeaders } from './http/graphql-endpoint';
import { jsonBody } from './http/json-body';
import { createMetrics } from './http/metrics';
import { createRateLimits } from './http/rate-limit';
import { consoleRouter } from './http/console.routes';
import { isDepartment, routes } from './modules';
import { finalErrors } from './http/final-errors';
import { graphiqlRouter } from './http/graphiql.routes';
import { requestLimits } from './http/request-limits';
import { serveSubscriptions } from './http/subscriptions';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** What the request log line says about the GraphQL operation (filled by a plugin). */
interface OperationNote {
  operation?: string;
  type?: string;
  errorCodes?: string[];
}
/** Where the context carries its note (a symbol: Apollo copies the context's own properties). */
const NOTE = Symbol('operation note');
const noteOf = (ctx: Context): OperationNote | undefined =>
  (ctx as unknown as Record<symbol, OperationNote | undefined>)[NOTE];

/**
 * A mutation reads from the primary only (what it checks, it is about to write), and its
 * caller's lag-tolerant reads stay on the primary for the read-your-writes window.
 */
function writesReadFromPrimary(readRouting: ReadRouting): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!operation || operation.operation === 'query') return;
          readFromPrimary(contextValue);
          if (contextValue.user) readRouting.noteWrite(contextValue.user.id);
        },
      };
    },
  };
}

/** Notes the operation's name, type and error codes for the request's log line. */
function operationNotePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const note = noteOf(contextValue);
          if (!note) return;
          const name = operation?.name?.value ?? operationName ?? undefined;
          note.operation =
            name && name.length > MAX_RECORDED_OPERATION_NAME ? `${name.slice(0, MAX_RECORDED_OPERATION_NAME)}…` : name;
          note.type = operation?.operation;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (body?.errors?.length) note.errorCodes = body.errors.map((e) => String(e.extensions?.code ?? ''));
        },
      };
    },
  };
}

/** The request id (kept from a well-formed x-request-id, else new) and one log line per request. */
function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const path = req.path; // before a mounted router rewrites req.url
    res.on('finish', () => {
      const note = (res.locals.operation ?? {}) as OperationNote;
      const probe = path === '/healthz' || path === '/readyz' || path === '/metrics';
      logger[probe ? 'debug' : 'info'](
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
          ...(note.operation || note.type
            ? { operation: note.operation ?? null, operationType: note.type ?? null }
            : {}),
          ...(note.errorCodes ? { errorCodes: note.errorCodes } : {}),
        },
        'request',
      );
    });
    next();
  };
}

/** Body parser refusals (413 too large, 400 malformed JSON) as GraphQL-shaped JSON, no stack. */
function bodyErrors(logger: Logger) {
  return (error: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    const [code, message] =
      status === 413
        ? ['PAYLOAD_TOO_LARGE', 'Request body too large']
        : status < 500
          ? ['BAD_REQUEST', 'Malformed request body']
          : ['INTERNAL_SERVER_ERROR', 'Internal server error'];
    if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

interface ServerArgs {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  /** Where lag-tolerant reads go; every read is on the primary without it. */
  readRouting?: ReadRouting;
}

/** The context of a GraphQL request: its caller (from the bearer token), loaders, request id. */
function graphqlContext(
  { config, dataSource, logger, readRouting }: ServerArgs,
  authenticate: ReturnType<typeof createAuthenticator>,
) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<Context> => {
    const requestId = res.locals.requestId as string;
    const user = await authenticate(req.headers.authorization).catch((error: unknown) => {
      throw contextCreationError(error);
    });
    const ctx = createContext({
      requestId,
      user,
      clientIp: req.ip,
      idempotencyKeyHeader: req.header('idempotency-key'),
      dataSource,
      readDb: readRouting?.readManager(user?.id ?? null),
      config,
      logger: logger.child({ requestId }),
    });
    const note: OperationNote = {};
    res.locals.operation = note;
    return Object.assign(ctx, { [NOTE]: note });
  };
}

/** Apollo Server over the schema, with the limits and plugins of every operation. */
function createApollo(
  { config, dataSource, readRouting }: ServerArgs,
  parts: {
    schema: GraphQLSchema;
    formatError: ReturnType<typeof createErrorFormatter>;
    limits: ReturnType<typeof operationLimits>;
    drain: ReturnType<typeof keepAliveDrain>;
    rateLimits: Awaited<ReturnType<typeof createRateLimits>>;
    metrics: ReturnType<typeof createMetrics>;
  },
): ApolloServer<Context> {
  const { schema, formatError, limits, drain } = parts;
  return new ApolloServer<Context>({
    // The schema as it is, executed through compiled queries once they recur (compiled-execution.ts).
    gateway: compiledExecutionGateway(schema),
    formatError,
    includeStacktraceInErrorResponses: false,
    stringifyResult: stringifyMeasuredResult,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // src/index.ts handles SIGTERM/SIGINT (Apollo's own handler would stop it a second time).
    stopOnTerminationSignals: false,
    introspection: config.allowIntrospection,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      drainPlugin(drain),
      ...(config.allowIntrospection ? [] : [ApolloServerPluginLandingPageDisabled()]),
      ...limits.plugins,
      inputChecksPlugin(),
      parts.rateLimits.plugin,
      databaseUnavailableStatus(),
      parts.metrics.plugin,
      ...(readRouting?.replica ? [writesReadFromPrimary(readRouting)] : []),
      ...publicResponseCache(config.publicCacheSeconds, dataSource),
      operationNotePlugin(),
    ],
  });
}

/** Refused to listen (the port taken, or not allowed): the message says which and what to do. */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    host: string,
    port: number,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `Cannot listen on ${host}:${port}: the port is in use (another server?). Stop it, or set PORT to a free port.`
        : `Cannot listen on ${host}:${port} (${code}): set PORT (and HOST) to an address this process may use.`,
    );
    this.name = 'ListenError';
  }
}

/**
 * Listens on the configured host and port; the URL of /graphql. A refusal rejects: without
 * the listener the error went only to the WebSocket server attached to the HTTP server, which
 * swallows it, and the process kept running without serving anything.
 */
async function listen(httpServer: http.Server, config: Config): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) =>
      reject(new ListenError(error.code ?? 'error', config.host, config.port));
    httpServer.once('error', refused);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', refused);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return { url: `http://${host}:${port}/graphql`, port };
}

/** The HTTP server: GraphQL at /graphql (subscriptions over WebSocket on the same path). */
export async function startServer(args: ServerArgs): Promise<RunningServer> {
  const { config, dataSource, logger, readRouting } = args;
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  // A request for /graphql exactly skips Express's router (graphql-endpoint.ts); any other is Express's.
  let graphqlPath: ReturnType<typeof directPath> = () => false;
  const httpServer = http.createServer(expressMessages(app), (req, res) => {
    if (!graphqlPath(req, res)) app(req, res);
  });
  httpServer.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  // Headers of a request on a reused connection may take until the keep-alive timeout to start.
  httpServer.headersTimeout = Math.max(httpServer.headersTimeout, config.httpKeepAliveTimeoutMs + 1000);
  const limits = operationLimits(config);
  const rateLimits = await createRateLimits(config, logger);
  const metrics = createMetrics(dataSource, readRouting?.replica ?? null);
  const authenticate = createAuthenticator({ config, dataSource, isDepartment });
  let stopping = false;
  // The rest of SHUTDOWN_TIMEOUT_MS closes Redis and the pool.
  const drain = keepAliveDrain(httpServer, { graceMs: Math.max(0, config.shutdownTimeoutMs - 1000) });

  const schema = await getSchema();
  const formatError = createErrorFormatter(logger);
  const apollo = createApollo(args, { schema, formatError, limits, drain, rateLimits, metrics });
  await apollo.start();

  // Security headers; the CSP only where no landing page (it loads scripts) is served.
  const securityHeaders = helmet(
    config.allowIntrospection ? { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false } : {},
  );
  const logRequest = requestLog(logger);
  app.use(securityHeaders);
  app.use(logRequest);
  app.use(healthRoutes({ dataSource, readyTimeoutMs: config.readyTimeoutMs, isStopping: () => stopping }));
  app.get('/metrics', metrics.handler);

  app.use(consoleRouter({ logger }));
  for (const route of routes) app.use(route.path, route.router({ config, dataSource, logger }));
  app.use(graphiqlRouter({ config, logger }));
  const graphql = [
    jsonBody(config.bodyLimit, express.json({ limit: config.bodyLimit })),
    requestLimits(config.limits),
    apolloHandler(apollo, graphqlContext(args, authenticate)),
  ];
  const graphqlErrors = bodyErrors(logger);
  app.use('/graphql', ...graphql);
  app.use('/graphql', graphqlErrors);
  app.use(finalErrors(logger));
  // The same middleware in the same order, for /graphql exactly (what clients send).
  graphqlPath = directPath(app, '/graphql', [replayedHeaders(securityHeaders), logRequest, ...graphql], graphqlErrors);

  const { url, port } = await listen(httpServer, config);
  // Attached once listening: a WebSocket server attached before receives the listen error too
  // and prints it as an "Internal error emitted on the WebSocket server", with its stack.
  const stopSubscriptions = serveSubscriptions({
    httpServer,
    schema,
    limits,
    rateLimits,
    authenticate,
    dataSource,
    config,
    logger,
    formatError,
  });
  return {
    url,
    port,
    httpServer,
    async stop() {
      stopping = true;
      await stopSubscriptions();
      await apollo.stop();
      await rateLimits.close();
    },
  };
}

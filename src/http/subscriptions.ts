import type http from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import type { Config } from '../config';
import type { AuthUser } from '../core/auth';
import { createContext } from '../core/context';
import { MAX_CONNECTIONS_PER_CALLER, MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../core/limits';
import type { operationLimits } from '../graphql/armor';
import { callerKey, RateLimitedError, type RateLimits } from './rate-limit';

/** setTimeout's longest delay (about 24.8 days); a token may live longer (TOKEN_MAX_LIFETIME_SECONDS). */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Authenticate = (header: string | undefined) => Promise<AuthUser | null>;

/** The bearer header of a connection_init payload: `{ authorization: "Bearer …" }` or `{ token: "…" }`. */
export function bearerOf(params: Record<string, unknown> | undefined): string | undefined {
  if (typeof params?.authorization === 'string') return params.authorization;
  if (typeof params?.Authorization === 'string') return params.Authorization;
  if (typeof params?.token === 'string') return `Bearer ${params.token}`;
  return undefined;
}

type Extra = { socket: { close(code: number, reason: string): void } };

/**
 * Closes the connection (4401) at the instant its token expires: the token was verified, so
 * its exp is there and trusted. The timer is kept in `expiries` (cleared when the connection closes).
 */
function closeAtExpiry(extra: Extra, bearer: string, expiries: WeakMap<object, NodeJS.Timeout>): void {
  const { exp } = decodeJwt(bearer.replace(/^Bearer\s+/i, ''));
  if (typeof exp !== 'number') return;
  const schedule = () => {
    const left = exp * 1000 - Date.now();
    const timer =
      left > MAX_TIMER_MS
        ? setTimeout(schedule, MAX_TIMER_MS)
        : setTimeout(() => extra.socket.close(4401, 'Token expired'), Math.max(0, left));
    timer.unref();
    expiries.set(extra, timer);
  };
  schedule();
}

/**
 * A subscription's document: parsed with the token limit and validated with the rules of HTTP;
 * the errors instead when it is not valid or not a subscription.
 */
function subscriptionDocument(
  schema: GraphQLSchema,
  limits: ReturnType<typeof operationLimits>,
  payload: { query: string; operationName?: string | null },
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  let document;
  try {
    document = parse(payload.query, limits.parseOptions);
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const errors = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
  if (errors.length > 0) return { errors };
  const operation = getOperationAST(document, payload.operationName);
  if (operation?.operation !== 'subscription') {
    return {
      errors: [
        new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ],
    };
  }
  return { document };
}

/** Open connections per caller (token subject), counted once authenticated. */
function callerConnections() {
  const openOf = new Map<string, number>();
  return {
    /** Counts a new connection of `user`, or false when the caller has MAX_CONNECTIONS_PER_CALLER open. */
    open(user: AuthUser): boolean {
      const open = openOf.get(user.id) ?? 0;
      if (open >= MAX_CONNECTIONS_PER_CALLER) return false;
      openOf.set(user.id, open + 1);
      return true;
    },
    close(user: AuthUser): void {
      const open = (openOf.get(user.id) ?? 1) - 1;
      if (open > 0) openOf.set(user.id, open);
      else openOf.delete(user.id);
    },
  };
}

/**
 * Whether one more subscription may start on a connection holding `active` (graphql-ws has
 * registered the new one already: it counts), its caller's rate-limit budget spent: the
 * errors to answer instead, or null.
 */
async function refusedSubscription(
  active: number,
  user: AuthUser | null,
  rateLimits: Pick<RateLimits, 'spendOperation'>,
): Promise<GraphQLError[] | null> {
  if (active > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    return [
      new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions on one connection`, {
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
      }),
    ];
  }
  // Subscribing and completing again and again cost a core without this (20,000 in 4 s).
  try {
    await rateLimits.spendOperation(callerKey({ user, clientIp: undefined }));
    return null;
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const { http: _http, ...extensions } = error.extensions;
    return [new GraphQLError(error.message, { extensions })];
  }
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) on the HTTP server's
 * /graphql. A connection is authenticated once, by the token of its connection_init
 * (verified as an HTTP request's is): none or an invalid one closes it with 4403 Forbidden,
 * and the connection is closed with 4401 Unauthorized when the token expires.
 * Only subscription operations are served here (queries and mutations go over HTTP, where
 * rate limits and the cost model apply); each is parsed with the token limit and validated
 * with the depth, alias and directive rules of HTTP. Returns a function closing every socket.
 */
export function serveSubscriptions(args: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  limits: ReturnType<typeof operationLimits>;
  /** Each subscribe spends an operation of the caller's budget, as a request over HTTP does. */
  rateLimits: Pick<RateLimits, 'spendOperation'>;
  authenticate: Authenticate;
  dataSource: DataSource;
  config: Config;
  logger: Logger;
  /** The HTTP server's error formatter: the same codes (FORBIDDEN, not UNAUTHORIZED), no internals. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}): () => Promise<void> {
  const { httpServer, schema, limits, rateLimits, authenticate, dataSource, config, logger, formatError } = args;
  const formatted = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const users = new WeakMap<object, AuthUser>();
  const expiries = new WeakMap<object, NodeJS.Timeout>();
  const connections = callerConnections();
  const serverCleanup = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const user = await authenticate(bearerOf(ctx.connectionParams));
          if (!user) return false;
          if (!connections.open(user)) {
            ctx.extra.socket.close(4429, `At most ${MAX_CONNECTIONS_PER_CALLER} connections per caller`);
            return false;
          }
          users.set(ctx.extra, user);
          closeAtExpiry(ctx.extra, bearerOf(ctx.connectionParams)!, expiries);
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => {
        clearTimeout(expiries.get(ctx.extra));
        expiries.delete(ctx.extra);
        const user = users.get(ctx.extra);
        if (!user) return;
        users.delete(ctx.extra);
        connections.close(user);
      },
      onSubscribe: async (ctx, id, payload) => {
        const user = users.get(ctx.extra) ?? null;
        const refused = await refusedSubscription(Object.keys(ctx.subscriptions).length, user, rateLimits);
        if (refused) return refused;
        const checked = subscriptionDocument(schema, limits, payload);
        if ('errors' in checked) return checked.errors;
        const contextValue = createContext({
          requestId: `ws-${id}`,
          user,
          dataSource,
          config,
          logger,
        });
        return {
          schema,
          document: checked.document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        'errors' in result && result.errors?.length
          ? { ...result, errors: formatted(result.errors as GraphQLError[]) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => formatted(errors),
    },
    wsServer,
  );
  return async () => {
    for (const socket of wsServer.clients) socket.terminate();
    await serverCleanup.dispose();
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
  };
}

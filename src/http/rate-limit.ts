import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { recordedOperationCost } from '../core/cost';
import { AppError } from '../core/errors';
import type { Context } from '../core/context';

export interface RateLimits {
  /** The Apollo plugin that spends a caller's budget once the operation is known, or its document refused. */
  plugin: ApolloServerPlugin<Context>;
  /** Spends one operation of the caller's budget, or throws RateLimitedError (subscriptions over WebSocket). */
  spendOperation(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The caller a budget belongs to: the token's subject, else the client's IP. */
export function callerKey(ctx: Pick<Context, 'user' | 'clientIp'>): string {
  return ctx.user ? `user:${ctx.user.id}` : `ip:${ctx.clientIp ?? 'unknown'}`;
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('Too many requests: try again later', 'RATE_LIMITED', { retryAfter: retryAfterSeconds });
    const headers = new HeaderMap();
    headers.set('retry-after', String(retryAfterSeconds));
    this.extensions.http = { status: 429, headers };
  }
}

/**
 * Redis for the budgets. Without an offline queue, commands sent before the connection is ready
 * fail over to the in-memory insurance; wait (briefly) for it, so the first requests share the budget.
 */
async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', (error) => logger.warn({ err: error }, 'redis (rate limits) unavailable: limiting in memory'));
  await new Promise<void>((resolve) => {
    if (client.status === 'ready') return resolve();
    const timer = setTimeout(() => {
      logger.warn('redis (rate limits) not ready after 3 s: starting anyway');
      resolve();
    }, 3000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}

/**
 * The points of RATE_LIMIT_POINTS an operation spends: one, and one more per `costPerPoint`
 * objects of its cost (the limits' model, src/core/cost.ts). An ordinary page (a few hundred
 * objects) spends one; the heaviest the cost budget admits (10,000 objects, about 130 ms of the
 * server's CPU) spends eleven, so that one caller's budget bounds their CPU, not only their count.
 */
export function operationPoints(cost: number | undefined, costPerPoint: number): number {
  if (cost === undefined || costPerPoint <= 0) return 1;
  return 1 + Math.floor(cost / costPerPoint);
}

/**
 * Per-caller budgets per window (rate-limiter-flexible): every operation spends its points
 * (operationPoints) of RATE_LIMIT_POINTS, a mutation also one of RATE_LIMIT_MUTATION_POINTS; a
 * document refused at parsing or validation spends one of RATE_LIMIT_POINTS. In memory by
 * default; with REDIS_URL the budgets live in Redis, shared by every process, with an
 * in-memory insurance limiter while Redis is unreachable.
 */
export async function createRateLimits(config: Config, logger: Logger): Promise<RateLimits> {
  const { windowSeconds, points, mutationPoints, costPerPoint, keyPrefix } = config.rateLimit;
  let redis: Redis | undefined;
  const make = (name: string, budget: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${keyPrefix}:${name}`, points: budget, duration: windowSeconds };
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
  };
  if (config.redisUrl) redis = await connectRedis(config.redisUrl, logger);
  const all = make('all', points);
  const mutations = make('mutation', mutationPoints);

  async function spend(limiter: RateLimiterAbstract, key: string, spent = 1): Promise<void> {
    try {
      await limiter.consume(key, spent);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      // The store failed (and so did the insurance): let the request through.
      logger.warn({ err: rejection }, 'rate limit store failed');
    }
  }

  return {
    plugin: {
      async requestDidStart() {
        // A document refused at parsing or validation never reaches didResolveOperation:
        // it spends its point when refused, and a refusal of that spend replaces the
        // response (otherwise a flood of junk documents would cost nothing).
        let refusedDocumentLimited: RateLimitedError | undefined;
        const spendForRefusedDocument = async (key: string) => {
          try {
            await spend(all, key);
          } catch (error) {
            if (!(error instanceof RateLimitedError)) throw error;
            refusedDocumentLimited = error;
          }
        };
        return {
          async parsingDidStart({ contextValue }) {
            return async (error) => {
              if (error) await spendForRefusedDocument(callerKey(contextValue));
            };
          },
          async validationDidStart({ contextValue }) {
            return async (errors) => {
              if (errors?.length) await spendForRefusedDocument(callerKey(contextValue));
            };
          },
          // Listed after the limits' plugin (src/server.ts), whose hook has recorded the cost by then.
          async didResolveOperation({ contextValue, operation, request }) {
            const key = callerKey(contextValue);
            await spend(all, key, operationPoints(recordedOperationCost(request), costPerPoint));
            if (operation?.operation === 'mutation') await spend(mutations, key);
          },
          // Rewrites the response without awaiting anything: this plugin is listed before the
          // metrics and request-log plugins (src/server.ts), whose willSendResponse then reads it.
          async willSendResponse({ response }) {
            if (!refusedDocumentLimited) return;
            const { message, extensions } = refusedDocumentLimited;
            const { http: _http, ...shown } = extensions;
            response.body = { kind: 'single', singleResult: { errors: [{ message, extensions: shown }] } };
            response.http.status = 429;
            response.http.headers.set('retry-after', String(shown.retryAfter));
          },
        };
      },
    },
    spendOperation: (key) => spend(all, key),
    async close() {
      if (redis) redis.disconnect();
    },
  };
}

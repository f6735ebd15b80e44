import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config';
import { Open311Error } from './open311.mapping';

export class Open311RateLimitedError extends Open311Error {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Too many requests: try again later');
  }
}

/**
 * The budgets of RATE_LIMIT_POINTS (every call, per IP) and RATE_LIMIT_MUTATION_POINTS (every
 * filed request, per API client) over RATE_LIMIT_WINDOW_SECONDS, as for GraphQL operations
 * and mutations; kept in this process's memory.
 */
export function open311RateLimits(config: Config): {
  call(ip: string): Promise<void>;
  write(client: string): Promise<void>;
} {
  const { windowSeconds, points, mutationPoints, keyPrefix } = config.rateLimit;
  const calls = new RateLimiterMemory({ keyPrefix: `${keyPrefix}:open311:all`, points, duration: windowSeconds });
  const writes = new RateLimiterMemory({
    keyPrefix: `${keyPrefix}:open311:write`,
    points: mutationPoints,
    duration: windowSeconds,
  });
  const spend = async (limiter: RateLimiterMemory, key: string) => {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw new Open311RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  };
  return {
    call: (ip) => spend(calls, `ip:${ip}`),
    write: (client) => spend(writes, `client:${client}`),
  };
}

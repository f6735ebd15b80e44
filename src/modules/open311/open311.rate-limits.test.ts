import { loadConfig } from '../../config';
import { Open311RateLimitedError, open311RateLimits } from './open311.rate-limits';

describe('Open311 rate limits', () => {
  it('spends RATE_LIMIT_MUTATION_POINTS per client on filed requests and RATE_LIMIT_POINTS per IP on calls', async () => {
    const limits = open311RateLimits(
      loadConfig({ NODE_ENV: 'test', RATE_LIMIT_POINTS: '3', RATE_LIMIT_MUTATION_POINTS: '2' }),
    );
    await limits.write('hotline');
    await limits.write('hotline');
    const refused = await limits.write('hotline').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Open311RateLimitedError);
    expect((refused as Open311RateLimitedError).toBody()).toEqual([
      { code: 429, description: 'Too many requests: try again later' },
    ]);
    expect((refused as Open311RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await limits.write('app');
    for (let i = 0; i < 3; i += 1) await limits.call('10.0.0.1');
    await expect(limits.call('10.0.0.1')).rejects.toBeInstanceOf(Open311RateLimitedError);
    await limits.call('10.0.0.2');
  });
});

import { retryDelayMs, signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'webhook-secret-of-the-integrator';
  const body = '{"id":"e1","type":"request.need_met"}';
  const now = 1_800_000_000;

  it('signs timestamp.body with HMAC-SHA256 as v1=<hex>', () => {
    expect(signWebhook(secret, now, body)).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signWebhook(secret, now, body)).not.toBe(signWebhook(secret, now + 1, body));
    expect(signWebhook(secret, now, body)).not.toBe(signWebhook(`${secret}x`, now, body));
  });

  it('verifies the raw body and timestamp, and refuses a changed body, another secret, an old timestamp or garbage', () => {
    const signature = signWebhook(secret, now, body);
    const check = (over: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, body, timestamp: String(now), signature, nowSeconds: now + 10, ...over });
    expect(check({})).toBe(true);
    expect(check({ body: body.replace('e1', 'e2') })).toBe(false);
    expect(check({ secret: 'another-secret-another-secret' })).toBe(false);
    expect(check({ nowSeconds: now + 301 })).toBe(false);
    expect(check({ timestamp: String(now + 1) })).toBe(false);
    expect(check({ timestamp: 'soon' })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: 'v1=00' })).toBe(false);
  });

  it('waits twice as long after each failure, at most an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 5_000))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30, 5_000)).toBe(3_600_000);
  });
});

import { ConfigError, loadConfig } from '../../config';
import { apiKeyChecker } from './api-keys';

describe('Open311 API keys', () => {
  const key = 'k'.repeat(24);
  it('reads client:key pairs from OPEN311_API_KEYS', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).open311ApiKeys).toEqual([]);
    expect(
      loadConfig({ NODE_ENV: 'test', OPEN311_API_KEYS: ` hotline:${key} ,app.v2:${key}:x` }).open311ApiKeys,
    ).toEqual([
      { client: 'hotline', key },
      { client: 'app.v2', key: `${key}:x` },
    ]);
  });

  it.each([`hotline`, `hotline:short`, `:${key}`, `bad client:${key}`, `a:${key},a:${key}x`, `a:${key},b:${key}`])(
    'refuses %p',
    (value) => {
      expect(() => loadConfig({ NODE_ENV: 'test', OPEN311_API_KEYS: value })).toThrow(ConfigError);
    },
  );

  it('finds the client of a key, and no client for anything else', () => {
    const clientOf = apiKeyChecker([
      { client: 'hotline', key },
      { client: 'app', key: `${key}x` },
    ]);
    expect(clientOf(key)).toBe('hotline');
    expect(clientOf(`${key}x`)).toBe('app');
    expect(clientOf(key.slice(1))).toBeNull();
    expect(clientOf('')).toBeNull();
    expect(clientOf(undefined)).toBeNull();
  });
});

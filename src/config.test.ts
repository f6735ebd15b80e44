import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to port 4000 and the embedded database in .data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.jwtSecretIsDevelopmentDefault).toBe(true);
  });

  it('listens on loopback in development and tests, on every interface in production, unless HOST says', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('reads DATABASE_MIGRATION_URL only beside DATABASE_URL', () => {
    const owner = 'postgres://owner@db/minsheng';
    const both = loadConfig({ DATABASE_URL: 'postgres://app@db/minsheng', DATABASE_MIGRATION_URL: owner });
    expect(both.databaseMigrationUrl).toBe('postgres://owner@db/minsheng');
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/minsheng' }).databaseMigrationUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: owner })).toThrow(/DATABASE_MIGRATION_URL needs DATABASE_URL/);
  });

  it('reads DATABASE_READ_URL only beside DATABASE_URL, with its lag bound', () => {
    const replica = 'postgres://app@replica/minsheng';
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@db/minsheng',
      DATABASE_READ_URL: replica,
      DATABASE_READ_MAX_LAG_SECONDS: '3',
    });
    expect(config).toMatchObject({
      databaseReadUrl: replica,
      databaseReadMaxLagSeconds: 3,
      databaseReadProbeSeconds: 2,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/minsheng' }).databaseReadUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_READ_URL: replica })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://app@db/minsheng', DATABASE_READ_MAX_LAG_SECONDS: '0' }),
    ).toThrow(ConfigError);
  });

  it('refuses to start in production without a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).not.toThrow();
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED_ON_START: 'maybe' })).toThrow(/SEED_ON_START/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('hardens production by default: no introspection, no suggestions, no limits named', () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(production.allowIntrospection).toBe(false);
    expect(production.blockFieldSuggestions).toBe(true);
    expect(production.limits.exposeLimits).toBe(false);
    expect(production.rateLimit).toMatchObject({ points: 600, mutationPoints: 120, windowSeconds: 60 });
    expect(production.dbConnectRetries).toBe(10);
    const development = loadConfig({});
    expect(development.allowIntrospection).toBe(true);
    expect(development.blockFieldSuggestions).toBe(false);
    expect(development.limits.exposeLimits).toBe(false);
    expect(loadConfig({ EXPOSE_LIMITS: 'true' }).limits.exposeLimits).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), ALLOW_INTROSPECTION: 'true' })
        .allowIntrospection,
    ).toBe(true);
  });

  it('reads the body cap, limits and Redis URL', () => {
    const config = loadConfig({ BODY_LIMIT: '512kb', MAX_DEPTH: '9', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.bodyLimit).toBe('512kb');
    expect(config.limits.maxDepth).toBe(9);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ BODY_LIMIT: 'lots' })).toThrow(/BODY_LIMIT/);
    expect(() => loadConfig({ RATE_LIMIT_POINTS: '0' })).toThrow(/RATE_LIMIT_POINTS/);
  });

  it('reads the longest token life: 24 h by default, one minute to 366 days', () => {
    expect(loadConfig({}).tokenMaxLifetimeSeconds).toBe(86_400);
    expect(loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: '3600' }).tokenMaxLifetimeSeconds).toBe(3600);
    expect(() => loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: '10' })).toThrow(/TOKEN_MAX_LIFETIME_SECONDS/);
  });

  it('runs the signal partitions job every 6 hours unless SIGNAL_PARTITIONS_HOURS says otherwise (0: off)', () => {
    expect(loadConfig({}).signalPartitionsHours).toBe(6);
    expect(loadConfig({ SIGNAL_PARTITIONS_HOURS: '0' }).signalPartitionsHours).toBe(0);
    expect(() => loadConfig({ SIGNAL_PARTITIONS_HOURS: '-1' })).toThrow(/SIGNAL_PARTITIONS_HOURS/);
  });

  it('reads the cost, response and variable limits, and refuses the retired MAX_COST', () => {
    const defaults = loadConfig({}).limits;
    expect(defaults).toMatchObject({
      maxNodes: 10_000,
      maxResponseBytes: 8 * 1024 * 1024,
      maxVariableDepth: 10,
      maxVariableValues: 10_000,
    });
    const set = loadConfig({
      MAX_NODES: '20000',
      MAX_RESPONSE_BYTES: '512kb',
      MAX_VARIABLE_DEPTH: '6',
      MAX_VARIABLE_VALUES: '500',
    }).limits;
    expect(set).toMatchObject({
      maxNodes: 20_000,
      maxResponseBytes: 512 * 1024,
      maxVariableDepth: 6,
      maxVariableValues: 500,
    });
    expect(loadConfig({ MAX_RESPONSE_BYTES: '100000' }).limits.maxResponseBytes).toBe(100_000);
    expect(() => loadConfig({ MAX_RESPONSE_BYTES: 'huge' })).toThrow(/MAX_RESPONSE_BYTES/);
    expect(() => loadConfig({ MAX_RESPONSE_BYTES: '0' })).toThrow(/MAX_RESPONSE_BYTES/);
    expect(() => loadConfig({ MAX_COST: '5000' })).toThrow(/MAX_COST.*MAX_NODES/);
  });
});

import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl?: string;
  /** The migration role's URL (owner of the tables); the app's role then may not alter them. */
  databaseMigrationUrl?: string;
  /**
   * A streaming replica of DATABASE_URL for reads that may lag a little (catalogue, analytics,
   * reports); absent: every read is on the primary. See docs/scaling.md.
   */
  databaseReadUrl?: string;
  /** The replica is not read while it is further behind than this. */
  databaseReadMaxLagSeconds: number;
  /** Seconds between checks of the replica (reachable, lag). */
  databaseReadProbeSeconds: number;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  dbPoolSize: number;
  /** How far back an unmet request is told that a newly published service meets it (days). */
  needMetWindowDays: number;
  /** Milliseconds between looks at the notification outbox and the due webhook deliveries; 0 turns dispatch off. */
  outboxPollMs: number;
  /** Milliseconds between runs of the deadline-notice job; 0 turns it off in this process. */
  deadlineNoticeMs: number;
  /** A deadline this many hours ahead (or less) is near: its department is told once. */
  deadlineNearHours: number;
  /** Dispatched outbox rows and finished webhook deliveries older than this many days are pruned. */
  notificationRetentionDays: number;
  /** The first webhook retry waits this long (ms), each next one twice as long. */
  webhookRetryBaseMs: number;
  /** Attempts before a webhook delivery is FAILED. */
  webhookMaxAttempts: number;
  /** A webhook receiver that has not answered after this long (ms) is a failed attempt. */
  webhookTimeoutMs: number;
  /** Webhooks may point to loopback, private and link-local addresses (off but in tests). */
  webhookAllowPrivateAddresses: boolean;
  jwtSecret: string;
  /** True when JWT_SECRET was not given and the development secret is in use. */
  jwtSecretIsDevelopmentDefault: boolean;
  /** Longest life of a bearer token: `exp - iat` (or `exp - now` without iat); longer is refused. */
  tokenMaxLifetimeSeconds: number;
  /** Load the seeded catalogue at start when the catalogue is empty. */
  seedOnStart: boolean;
  logLevel: string;
  /** Minutes between refreshes of item-to-item neighbours; 0 turns the job off. */
  neighbourRefreshMinutes: number;
  /** Seconds between checks that the current catalogue's text index is built (0: built by the first request). */
  textIndexWarmSeconds: number;
  /** Minutes between runs of request → service association learning; 0 turns the job off. */
  learningRefreshMinutes: number;
  /** Hours between runs creating the signal log's month partitions ahead; 0 turns the job off. */
  signalPartitionsHours: number;
  /** Hours between fits of the ranking blend on the city's signals (docs/matching.md); 0 turns the job off. */
  rankingFitHours: number;
  /** How long after a request a view or use of a service counts as the same visit. */
  learningWindowMinutes: number;
  /** Server processes (one per core is typical); more than one needs DATABASE_URL. */
  webConcurrency: number;
  /** Build the catalogue-optimisation report of each period on a schedule (docs/reports.md). */
  reportSchedule: boolean;
  /** Seconds an anonymous query's whole response is cached (0: off). */
  publicCacheSeconds: number;
  /** How stale the votes, ratings and shared demand that rankings read may be (a young city's: at most 2 s, ranking-demand.ts). */
  rankingDemandSeconds: number;
  /** Citizen ids a process keeps for live trend periods (docs/analytics.md); 0: none are live. */
  trendsLiveMembers: number;
  /** Milliseconds between rollup worker runs besides those nudged by this process's inserts; 0: no worker. */
  rollupWorkerMs: number;
  /** How long the rollup worker may leave signals waiting while signals keep arriving (0: it never waits). */
  rollupWorkerMaxLagMs: number;
  /** The scheduled report's period: a city (Asia/Shanghai) day, week (from Monday) or month. */
  reportPeriod: 'day' | 'week' | 'month';
  /** Seconds between checks whether the last period's report is due (and retries after a failure). */
  reportCheckSeconds: number;
  /** Largest JSON request body express accepts (bytes, or `1mb` style); larger is 413. */
  bodyLimit: string;
  /** Operation limits (graphql-armor); see docs/security.md. */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    /** Cost budget: objects an operation may return by the cost model (src/core/cost.ts). */
    maxNodes: number;
    /** Largest response body (bytes); a larger one is replaced by RESPONSE_TOO_LARGE. */
    maxResponseBytes: number;
    /** Deepest nesting of the `variables` (and `extensions`) of a request. */
    maxVariableDepth: number;
    /** Most JSON values (objects, arrays and scalars) in the `variables` of a request. */
    maxVariableValues: number;
    /** Say the limit in refusal messages. */
    exposeLimits: boolean;
  };
  /** Introspection and the landing page (off by default in production). */
  allowIntrospection: boolean;
  /** GraphiQL at /graphiql (off by default in production); it needs allowIntrospection. */
  graphiql: boolean;
  /** Strip "Did you mean …" from validation messages (on by default in production). */
  blockFieldSuggestions: boolean;
  /** Per caller (token subject, else IP), per window; mutations also spend the mutation budget. */
  rateLimit: {
    windowSeconds: number;
    points: number;
    mutationPoints: number;
    /** An operation spends one point more per this many objects of its cost (0: one point each). */
    costPerPoint: number;
    keyPrefix: string;
  };
  /** Redis for shared rate-limit budgets; absent means in memory. */
  redisUrl?: string;
  /** Express `trust proxy` (hops), for the caller's IP behind a proxy; 0 trusts none. */
  trustProxy: number;
  /** Start-up waits for the database: attempts after the first, and the pause between them. */
  dbConnectRetries: number;
  dbConnectRetryDelayMs: number;
  /** How long to wait for a pooled connection before failing. */
  dbConnectTimeoutMs: number;
  /** statement_timeout of each PostgreSQL statement (0: none; not applied on PGlite). */
  dbStatementTimeoutMs: number;
  /**
   * Pooled connections idle this long are closed (0: never). Unset: 30 s on PostgreSQL, never
   * on the embedded database (its one connection is in-process).
   */
  dbIdleTimeoutMs?: number;
  /** /readyz gives the database this long to answer. */
  readyTimeoutMs: number;
  /** SIGTERM: in-flight requests get this long to finish before the process exits anyway. */
  shutdownTimeoutMs: number;
  /**
   * An idle keep-alive connection is closed after this long. Longer than the idle timeout of
   * the clients and proxies in front (60 s for nginx and most load balancers), so that the
   * client, not the server, closes it: a server closing first can drop a request the client
   * sent on the socket at that moment (the client sees a reset).
   */
  httpKeepAliveTimeoutMs: number;
  /** Open311 clients allowed to file requests, each with its API key (OPEN311_API_KEYS; docs/open311.md). */
  open311ApiKeys: Open311ApiKey[];
}

export interface Open311ApiKey {
  /** Who holds the key, e.g. `hotline-12345`; recorded with every request it files. */
  client: string;
  key: string;
}

export class ConfigError extends Error {}

function reportPeriod(env: NodeJS.ProcessEnv): Config['reportPeriod'] {
  const raw = (env.REPORT_PERIOD || 'week').toLowerCase();
  if (raw !== 'day' && raw !== 'week' && raw !== 'month')
    throw new ConfigError(`REPORT_PERIOD must be day, week or month, got "${env.REPORT_PERIOD}"`);
  return raw;
}

const DEVELOPMENT_JWT_SECRET = 'minsheng-development-secret-do-not-use-in-production';

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function bodySize(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+(b|kb|mb)?$/i.test(raw))
    throw new ConfigError(`${name} must be a size such as 1mb, 512kb or 100000, got "${raw}"`);
  return raw.toLowerCase();
}

/** A size in bytes: `8mb`, `512kb` or a number of bytes. */
function byteSize(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)(b|kb|mb)?$/i.exec(raw);
  if (!match || Number(match[1]) < 1) {
    throw new ConfigError(`${name} must be a size such as 8mb, 512kb or 100000, got "${raw}"`);
  }
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

const OPEN311_CLIENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const OPEN311_KEY = /^[\x21-\x7e]{24,256}$/;

/** `client:key` pairs separated by commas; keys of at least 24 printable characters. */
function open311ApiKeys(env: NodeJS.ProcessEnv): Open311ApiKey[] {
  const raw = env.OPEN311_API_KEYS ?? '';
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(':');
    const client = entry.slice(0, colon);
    const key = entry.slice(colon + 1);
    if (colon < 0 || !OPEN311_CLIENT.test(client) || !OPEN311_KEY.test(key) || key.includes(',')) {
      throw new ConfigError(
        'OPEN311_API_KEYS must be client:key pairs separated by commas (client: letters, digits, _ . -; key: at least 24 printable characters)',
      );
    }
    return { client, key };
  });
  if (new Set(keys.map((k) => k.client)).size !== keys.length)
    throw new ConfigError('OPEN311_API_KEYS names a client twice');
  if (new Set(keys.map((k) => k.key)).size !== keys.length)
    throw new ConfigError('OPEN311_API_KEYS gives one key to two clients');
  return keys;
}

/** The limits of every GraphQL operation (docs/security.md). */
function operationLimits(env: NodeJS.ProcessEnv): Config['limits'] {
  return {
    maxDepth: integer(env, 'MAX_DEPTH', 15, 1, 1000),
    maxAliases: integer(env, 'MAX_ALIASES', 20, 0, 10_000),
    maxDirectives: integer(env, 'MAX_DIRECTIVES', 20, 0, 10_000),
    maxTokens: integer(env, 'MAX_TOKENS', 2000, 10, 1_000_000),
    maxNodes: integer(env, 'MAX_NODES', 10_000, 1, 100_000_000),
    maxResponseBytes: byteSize(env, 'MAX_RESPONSE_BYTES', 8 * 1024 * 1024),
    maxVariableDepth: integer(env, 'MAX_VARIABLE_DEPTH', 10, 1, 1000),
    maxVariableValues: integer(env, 'MAX_VARIABLE_VALUES', 10_000, 1, 10_000_000),
    exposeLimits: boolean(env, 'EXPOSE_LIMITS', false),
  };
}

/** The per-caller rate limits. */
function rateLimits(env: NodeJS.ProcessEnv, nodeEnv: NodeEnv): Config['rateLimit'] {
  return {
    windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 24 * 3600),
    points: integer(env, 'RATE_LIMIT_POINTS', nodeEnv === 'test' ? 1_000_000 : 600, 1, 100_000_000),
    mutationPoints: integer(env, 'RATE_LIMIT_MUTATION_POINTS', nodeEnv === 'test' ? 1_000_000 : 120, 1, 100_000_000),
    costPerPoint: integer(env, 'RATE_LIMIT_COST_PER_POINT', 1000, 0, 100_000_000),
    keyPrefix: env.RATE_LIMIT_KEY_PREFIX || 'minsheng-rl',
  };
}

/** Refuses settings that contradict each other or are no longer read. */
function refuseInconsistent(env: NodeJS.ProcessEnv, nodeEnv: NodeEnv, jwtSecret: string): void {
  if (nodeEnv === 'production' && jwtSecret.length === 0) {
    throw new ConfigError('JWT_SECRET must be set when NODE_ENV=production');
  }
  if (env.DATABASE_MIGRATION_URL && !env.DATABASE_URL) {
    throw new ConfigError(
      "DATABASE_MIGRATION_URL needs DATABASE_URL (the app's role); the embedded database has one role",
    );
  }
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    throw new ConfigError('DATABASE_READ_URL needs DATABASE_URL (the primary); the embedded database has no replica');
  }
  if (jwtSecret.length > 0 && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  if (env.MAX_COST !== undefined && env.MAX_COST !== '') {
    const message = 'MAX_COST is no longer read: the cost is counted in objects, set MAX_NODES (docs/security.md)';
    throw new ConfigError(message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${env.NODE_ENV}"`);
  }
  const jwtSecret = env.JWT_SECRET ?? '';
  refuseInconsistent(env, nodeEnv, jwtSecret);
  return {
    nodeEnv,
    port: integer(env, 'PORT', 4000, 0, 65535),
    // Development and tests listen on loopback only: the development JWT secret is public.
    host: env.HOST || (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseMigrationUrl: env.DATABASE_MIGRATION_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    databaseReadMaxLagSeconds: integer(env, 'DATABASE_READ_MAX_LAG_SECONDS', 10, 1, 3600),
    databaseReadProbeSeconds: integer(env, 'DATABASE_READ_PROBE_SECONDS', 2, 1, 600),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    needMetWindowDays: integer(env, 'NEED_MET_WINDOW_DAYS', 180, 1, 3660),
    outboxPollMs: integer(env, 'OUTBOX_POLL_MS', nodeEnv === 'test' ? 0 : 250, 0, 600_000),
    deadlineNoticeMs: integer(env, 'DEADLINE_NOTICE_MS', nodeEnv === 'test' ? 0 : 60_000, 0, 3_600_000),
    deadlineNearHours: integer(env, 'DEADLINE_NEAR_HOURS', 4, 1, 24 * 30),
    notificationRetentionDays: integer(env, 'NOTIFICATION_RETENTION_DAYS', 30, 1, 3660),
    webhookRetryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
    webhookMaxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
    webhookAllowPrivateAddresses: boolean(env, 'WEBHOOK_ALLOW_PRIVATE_ADDRESSES', nodeEnv === 'test'),
    jwtSecret: jwtSecret || DEVELOPMENT_JWT_SECRET,
    jwtSecretIsDevelopmentDefault: jwtSecret.length === 0,
    tokenMaxLifetimeSeconds: integer(env, 'TOKEN_MAX_LIFETIME_SECONDS', 24 * 3600, 60, 366 * 24 * 3600),
    seedOnStart: boolean(env, 'SEED_ON_START', true),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    neighbourRefreshMinutes: integer(env, 'NEIGHBOUR_REFRESH_MINUTES', nodeEnv === 'test' ? 0 : 15, 0, 24 * 60),
    textIndexWarmSeconds: integer(env, 'TEXT_INDEX_WARM_SECONDS', nodeEnv === 'test' ? 0 : 10, 0, 24 * 3600),
    learningRefreshMinutes: integer(env, 'LEARNING_REFRESH_MINUTES', nodeEnv === 'test' ? 0 : 60, 0, 7 * 24 * 60),
    learningWindowMinutes: integer(env, 'LEARNING_WINDOW_MINUTES', 30, 1, 24 * 60),
    signalPartitionsHours: integer(env, 'SIGNAL_PARTITIONS_HOURS', 6, 0, 24 * 31),
    rankingFitHours: integer(env, 'RANKING_FIT_HOURS', nodeEnv === 'test' ? 0 : 24, 0, 24 * 365),
    webConcurrency: integer(env, 'WEB_CONCURRENCY', 1, 1, 64),
    reportSchedule: boolean(env, 'REPORT_SCHEDULE', nodeEnv !== 'test'),
    publicCacheSeconds: integer(env, 'PUBLIC_CACHE_SECONDS', nodeEnv === 'test' ? 0 : 5, 0, 3600),
    rankingDemandSeconds: integer(env, 'RANKING_DEMAND_SECONDS', 30, 1, 3600),
    trendsLiveMembers: integer(env, 'TRENDS_LIVE_MEMBERS', 300_000, 0, 50_000_000),
    rollupWorkerMs: integer(env, 'ROLLUP_WORKER_MS', 500, 0, 3_600_000),
    rollupWorkerMaxLagMs: integer(env, 'ROLLUP_WORKER_MAX_LAG_MS', 10_000, 0, 3_600_000),
    reportPeriod: reportPeriod(env),
    reportCheckSeconds: integer(env, 'REPORT_CHECK_SECONDS', 300, 1, 24 * 3600),
    bodyLimit: bodySize(env, 'BODY_LIMIT', '1mb'),
    limits: operationLimits(env),
    allowIntrospection: boolean(env, 'ALLOW_INTROSPECTION', nodeEnv !== 'production'),
    graphiql: boolean(env, 'GRAPHIQL', nodeEnv !== 'production'),
    blockFieldSuggestions: boolean(env, 'BLOCK_FIELD_SUGGESTIONS', nodeEnv === 'production'),
    rateLimit: rateLimits(env, nodeEnv),
    redisUrl: env.REDIS_URL || undefined,
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 10),
    dbConnectRetries: integer(env, 'DB_CONNECT_RETRIES', nodeEnv === 'test' ? 0 : 10, 0, 1000),
    dbConnectRetryDelayMs: integer(env, 'DB_CONNECT_RETRY_DELAY_MS', 2000, 0, 600_000),
    dbConnectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    dbIdleTimeoutMs: env.DB_IDLE_TIMEOUT_MS ? integer(env, 'DB_IDLE_TIMEOUT_MS', 0, 0, 3_600_000) : undefined,
    readyTimeoutMs: integer(env, 'READY_TIMEOUT_MS', 2000, 50, 60_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 0, 600_000),
    httpKeepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000, 600_000),
    open311ApiKeys: open311ApiKeys(env),
  };
}

import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  dbPoolSize: number;
  jwtSecret: string;
  /** True when JWT_SECRET was not given and the development secret is in use. */
  jwtSecretIsDevelopmentDefault: boolean;
  /** Load the seeded catalogue at start when the catalogue is empty. */
  seedOnStart: boolean;
  logLevel: string;
  /** Minutes between refreshes of item-to-item neighbours; 0 turns the job off. */
  neighbourRefreshMinutes: number;
}

export class ConfigError extends Error {}

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

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${env.NODE_ENV}"`);
  }
  const jwtSecret = env.JWT_SECRET ?? '';
  if (nodeEnv === 'production' && jwtSecret.length === 0) {
    throw new ConfigError('JWT_SECRET must be set when NODE_ENV=production');
  }
  if (jwtSecret.length > 0 && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    jwtSecret: jwtSecret || DEVELOPMENT_JWT_SECRET,
    jwtSecretIsDevelopmentDefault: jwtSecret.length === 0,
    seedOnStart: boolean(env, 'SEED_ON_START', true),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    neighbourRefreshMinutes: integer(env, 'NEIGHBOUR_REFRESH_MINUTES', nodeEnv === 'test' ? 0 : 15, 0, 24 * 60),
  };
}

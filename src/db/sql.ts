import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/** Runs a parameterised statement and returns its rows. */
export async function queryRows<T>(db: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

const preparedNames = new Map<string, string>();

/** A statement's name on the server: the same text always gets the same name. */
function preparedName(sql: string): string {
  let name = preparedNames.get(sql);
  if (!name) preparedNames.set(sql, (name = `p_${createHash('sha1').update(sql).digest('base64url')}`));
  return name;
}

/**
 * Runs a parameterised statement as a named prepared statement: each connection parses and
 * plans it once, then only binds and executes it (PostgreSQL moves to a generic plan after
 * five runs when that plan is no dearer). For hot statements whose text comes from a small
 * fixed set: every distinct text stays prepared on every pooled connection.
 * Logged, and its errors wrapped, as `queryRows` does.
 */
export async function queryPrepared<T>(db: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = db.queryRunner ?? db.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    db.connection.logger.logQuery(sql, params, runner);
    try {
      return (await client.query({ name: preparedName(sql), text: sql, values: params })).rows as T[];
    } catch (error) {
      db.connection.logger.logQueryError(error as Error, sql, params, runner);
      throw new QueryFailedError(sql, params, error as Error);
    }
  } finally {
    if (!db.queryRunner) await runner.release();
  }
}

/** Orders `rows` as `keys`, with undefined for a key that has no row (for DataLoader). */
export function byKeys<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | undefined)[] {
  const index = new Map<K, T>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key));
}

/** Groups `rows` under `keys` (for one-to-many DataLoaders). */
export function groupByKeys<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** The city's calendar day of a timestamp, as SQL over a timestamptz expression. */
export const cityDay = (expression: string) => `((${expression}) AT TIME ZONE 'Asia/Shanghai')::date`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that could be in a uuid column; anything else cannot exist and must not reach SQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * A PostgreSQL array literal of `values` (NULL for null), to bind as one parameter cast to an
 * array type: what the driver builds from a JavaScript array, for large batches without its
 * per-element type checks. Every element is quoted; quotes and backslashes in it are escaped.
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else if (typeof value !== 'string') literal += String(value);
    else if (NEEDS_ESCAPE.test(value)) literal += `"${value.replace(/(["\\])/g, '\\$1')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
}

/**
 * The conditions of a WHERE clause and their parameters, numbered in the order they are
 * added; the listings' filters build their clause with it.
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];

  /** The placeholder of a new parameter. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** A condition written in full (its parameters added with `param`). */
  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** `column = value`, when a value is given (null, undefined and '' add nothing). */
  equals(column: string, value: unknown, cast = ''): this {
    if (value !== null && value !== undefined && value !== '') this.add(`${column} = ${this.param(value)}${cast}`);
    return this;
  }

  /** `column >= from` and `column < to`, each when given. */
  within(column: string, from: Date | null | undefined, to: Date | null | undefined): this {
    if (from) this.add(`${column} >= ${this.param(from.toISOString())}`);
    if (to) this.add(`${column} < ${this.param(to.toISOString())}`);
    return this;
  }

  /** `WHERE …` joined by AND, or '' when there is no condition. */
  get clause(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

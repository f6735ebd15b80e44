import type { EntityManager } from 'typeorm';

/** Runs a parameterised statement and returns its rows. */
export async function queryRows<T>(db: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
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

import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { In } from 'typeorm';
import { PeekableDataLoader } from '../core/dataloader';
import { byKeys, isUuid } from './sql';

/** How long a process keeps a reference table (written only by the catalogue seed) before reading it again. */
const REFERENCE_TTL_MS = 60_000;

interface TableCopy {
  at: number;
  rows: Promise<Map<string, ObjectLiteral>>;
  /** The rows once read. */
  loaded?: Map<string, ObjectLiteral>;
}

const tables = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, TableCopy>>();

/** The row of `key` in the process's copy of the table when that copy is read and fresh; else undefined. */
function copiedRow<T extends ObjectLiteral>(db: EntityManager, entity: EntityTarget<T>, key: string): T | undefined {
  const copy = tables.get(db.dataSource)?.get(entity);
  if (!copy?.loaded || Date.now() - copy.at >= REFERENCE_TTL_MS) return undefined;
  return copy.loaded.get(key) as T | undefined;
}

function cachedRows<T extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<T>,
  idOf: (row: T) => string,
): Promise<Map<string, T>> {
  let perTable = tables.get(db.dataSource);
  if (!perTable) tables.set(db.dataSource, (perTable = new Map()));
  const cached = perTable.get(entity);
  if (cached && Date.now() - cached.at < REFERENCE_TTL_MS) return cached.rows as Promise<Map<string, T>>;
  // Through the caller's manager: inside a transaction another connection may not be free
  // (the embedded database has one).
  const rows = db.find(entity).then((all) => new Map(all.map((row) => [idOf(row), row])));
  const table = perTable;
  const copy: TableCopy = { at: Date.now(), rows };
  table.set(entity, copy);
  rows.then(
    (loaded) => {
      copy.loaded = loaded;
    },
    () => table.delete(entity),
  );
  return rows;
}

/**
 * The loader of a small reference table: `peek` also answers, synchronously, a key that the
 * process's copy of the table holds while that copy is fresh (what `load` would read from it).
 */
export class ReferenceLoader<T extends ObjectLiteral> extends PeekableDataLoader<string, T | undefined> {
  constructor(
    private readonly db: EntityManager,
    private readonly entity: EntityTarget<T>,
    batch: (keys: readonly string[]) => Promise<(T | undefined)[]>,
  ) {
    super(batch);
  }

  override peek(key: string): T | undefined {
    return super.peek(key) ?? copiedRow(this.db, this.entity, key);
  }
}

/**
 * The loader of a small reference table (categories, departments, districts): rows from a
 * copy of the whole table kept per process, read again every minute; a key the copy lacks (a
 * row added since) is read from the database. One loader per request, like every other.
 */
export function createReferenceLoader<T extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<T>,
  key: { column: 'id' | 'code'; of: (row: T) => string },
): ReferenceLoader<T> {
  return new ReferenceLoader<T>(db, entity, async (keys) => {
    const known = await cachedRows(db, entity, key.of);
    const missing = keys.filter((k) => !known.has(k) && (key.column !== 'id' || isUuid(k)));
    const found = missing.length
      ? byKeys(missing, await db.findBy(entity, { [key.column]: In(missing) } as never), key.of)
      : [];
    const fresh = new Map(missing.map((k, i) => [k, found[i]]));
    return keys.map((k) => known.get(k) ?? fresh.get(k));
  });
}

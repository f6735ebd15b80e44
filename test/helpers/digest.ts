import type { TestApp } from './test-app';

/**
 * One md5 per table of the database's schema over its rows' text, in a stable order: any
 * insert, update or delete changes it. To prove that a refused call wrote nothing.
 */
export async function tableDigests(t: TestApp): Promise<Record<string, string>> {
  const tables: { name: string }[] = await t.db.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  const columns = tables.map(
    ({ name }) =>
      `(SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM "${name}" r) AS "${name}"`,
  );
  const [row] = await t.db.query(`SELECT ${columns.join(', ')}`);
  return row;
}

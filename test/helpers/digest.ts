import type { TestApp } from './test-app';

/**
 * One md5 per table of the database's schema over its rows' text, in a stable order: any
 * insert, update or delete changes it. To prove that a refused call wrote nothing.
 */
export async function tableDigests(t: TestApp): Promise<Record<string, string>> {
  // The rollup worker applies earlier calls' signals when it runs; applied first, the derived
  // tables change only for what the call being checked wrote.
  await t.applyRollups();
  // The rollup worker's watermark follows transaction ids, which any statement of anyone moves
  // on; the signals it would apply are in the digest of signal itself.
  const tables: { name: string }[] = await t.db.query(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename <> 'signal_rollup_watermark' ORDER BY tablename`,
  );
  const columns = tables.map(
    ({ name }) =>
      `(SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM "${name}" r) AS "${name}"`,
  );
  const [row] = await t.db.query(`SELECT ${columns.join(', ')}`);
  return row;
}

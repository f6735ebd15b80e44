import { Writable } from 'node:stream';
import pino from 'pino';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/test-database';
import { forgetCatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { startTextIndexWarming } from './text-index-warming';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: { msg: string; version?: string; services?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('text index warming', () => {
  it('builds the index of the catalogue at start and again after each change, once per version', async () => {
    const { logger, lines } = capturedLogger();
    const built = () => lines.filter((line) => line.msg === 'built the catalogue text index');
    const warming = startTextIndexWarming(t.db, logger, 25);
    try {
      await until(() => built().length === 1);
      expect(built()[0].services).toBe(300);

      // Several checks later, the same catalogue is not built again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(built()).toHaveLength(1);

      await t.db.query(
        `UPDATE service SET title = title || '（新版）', updated_at = now(), version = version + 1
          WHERE id = (SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1)`,
      );
      forgetCatalogueSnapshot(t.db);
      await until(() => built().length === 2);
      expect(built()[1].version).not.toBe(built()[0].version);
    } finally {
      await warming.stop();
    }
    const afterStop = built().length;
    forgetCatalogueSnapshot(t.db);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(built()).toHaveLength(afterStop);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import pino from 'pino';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { Role, signToken } from '../../src/core/auth';
import { CitizenDocument, ServicesDocument, UpdateMyProfileDocument } from '../generated/graphql';
import { TEST_JWT_SECRET } from '../helpers/test-app';
import { migrations } from '../../src/db/migrations';

// The embedded database keeps its data in DATA_DIR across restarts (PGlite only).
const describeEmbedded = process.env.TEST_DATABASE_URL ? describe.skip : describe;

describeEmbedded('embedded database in DATA_DIR', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'minsheng-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: dataDir,
  });
  const logger = pino({ level: 'silent' });

  it('seeds on first start and keeps everything across a restart', async () => {
    const sub = randomUUID();
    const token = await signToken({ sub, role: Role.CITIZEN }, TEST_JWT_SECRET);

    const first = await startApp(config, logger);
    let total: number;
    try {
      const client = new GraphQLClient(first.server.url, { headers: { authorization: `Bearer ${token}` } });
      total = (await client.request(ServicesDocument, { first: 0 })).services.totalCount;
      expect(total).toBeGreaterThanOrEqual(200);
      await client.request(UpdateMyProfileDocument, { input: { districtCode: '520115', birthYear: 1990 } });
    } finally {
      await first.stop();
    }

    const second = await startApp(config, logger);
    try {
      const client = new GraphQLClient(second.server.url, { headers: { authorization: `Bearer ${token}` } });
      expect((await client.request(ServicesDocument, { first: 0 })).services.totalCount).toBe(total);
      expect((await client.request(CitizenDocument, { id: sub })).citizen?.district.code).toBe('520115');
      const [{ count }] = await second.database.dataSource.query('SELECT count(*)::int AS count FROM migrations');
      expect(count).toBe(migrations.length);
    } finally {
      await second.stop();
    }
  });
});

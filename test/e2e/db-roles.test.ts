import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import pino from 'pino';
import { Client } from 'pg';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { Role, signToken } from '../../src/core/auth';
import { ServicesDocument, SubmitRequestDocument, UpdateMyProfileDocument } from '../generated/graphql';
import { adminQuery, TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * Migrations and the app as two PostgreSQL roles (docs/security.md, "Database roles"): the
 * migration role owns the tables; the app's role reads and writes, but may only INSERT and
 * SELECT on the audit trail and cannot alter it.
 */
const baseUrl = process.env.TEST_DATABASE_URL;
const onPostgres = baseUrl ? describe : describe.skip;

onPostgres('two database roles', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const owner = `minsheng_owner_${suffix}`;
  const appRole = `minsheng_app_${suffix}`;
  const database = `minsheng_test_roles_${suffix}`;
  const urlOf = (role: string) => {
    const url = new URL(baseUrl!);
    url.username = role;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  const twoRoleConfig = () =>
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: urlOf(appRole),
      DATABASE_MIGRATION_URL: urlOf(owner),
    });
  let app: App | undefined;

  beforeAll(async () => {
    await adminQuery(baseUrl!, `CREATE ROLE ${owner} LOGIN`);
    await adminQuery(baseUrl!, `CREATE ROLE ${appRole} LOGIN`);
    await adminQuery(baseUrl!, `CREATE DATABASE ${database} OWNER ${owner}`);
    // PostgreSQL 14 and older let every role create tables in public; the app's role must not.
    await adminQuery(urlOf('postgres'), `REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    app = await startApp(twoRoleConfig(), pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await app?.stop();
    await adminQuery(baseUrl!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await adminQuery(baseUrl!, `DROP ROLE IF EXISTS ${appRole}`);
    await adminQuery(baseUrl!, `DROP ROLE IF EXISTS ${owner}`);
  });

  /** Runs `sql` as `role` on the test database; resolves with the SQLSTATE of its error, or null. */
  async function as(role: string, sql: string): Promise<string | null> {
    const client = new Client({ connectionString: urlOf(role) });
    await client.connect();
    try {
      await client.query(sql);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    } finally {
      await client.end();
    }
  }

  it('migrates as the migration role, which owns every table', async () => {
    const rows: { owner: string; tables: number }[] = await app!.database.dataSource.query(
      `SELECT tableowner AS owner, count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public' GROUP BY 1`,
    );
    expect(rows).toEqual([{ owner, tables: expect.any(Number) }]);
    expect(rows[0].tables).toBeGreaterThan(10);
  });

  it('serves reads and writes as the app role, writing the audit trail', async () => {
    const url = app!.server.url;
    const sub = randomUUID();
    const token = await signToken({ sub, role: Role.CITIZEN }, TEST_JWT_SECRET);
    const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
    const found = await client.request(ServicesDocument, { filter: { search: '社保卡' }, first: 3 });
    expect(found.services.totalCount).toBeGreaterThan(0);
    await client.request(UpdateMyProfileDocument, { input: { districtCode: '520103', birthYear: 1980 } });
    const submitted = await client.request(SubmitRequestDocument, { input: { text: '想办社保卡' } });
    const [{ count }] = await app!.database.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_event WHERE action = 'request.submit' AND target_id = $1`,
      [submitted.submitRequest.request.id],
    );
    expect(count).toBe(1);
    const ready = await fetch(new URL('/readyz', url));
    expect(ready.status).toBe(200);
  });

  it('refuses the app role DELETE, UPDATE, TRUNCATE and disabling the trigger on audit_event', async () => {
    // 42501: insufficient_privilege (also "must be owner of table").
    expect(await as(appRole, `DELETE FROM audit_event`)).toBe('42501');
    expect(await as(appRole, `UPDATE audit_event SET action = 'forged'`)).toBe('42501');
    expect(await as(appRole, `TRUNCATE audit_event`)).toBe('42501');
    expect(await as(appRole, `ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`)).toBe('42501');
    expect(await as(appRole, `ALTER TABLE audit_event DISABLE TRIGGER ALL`)).toBe('42501');
    expect(await as(appRole, `DROP TABLE audit_event`)).toBe('42501');
    expect(await as(appRole, `CREATE TABLE audit_copy (id int)`)).toBe('42501');
    // What it may do there: read and add.
    expect(await as(appRole, `SELECT count(*) FROM audit_event`)).toBeNull();
    const [{ count }] = await app!.database.dataSource.query(`SELECT count(*)::int AS count FROM audit_event`);
    expect(count).toBeGreaterThan(0);
  });

  it("grants again at every start, and a table the owner creates later is the app role's to use", async () => {
    await app!.stop();
    app = undefined;
    expect(await as(owner, `CREATE TABLE later_table (id int)`)).toBeNull();
    expect(await as(appRole, `INSERT INTO later_table VALUES (1)`)).toBeNull();
    expect(await as(appRole, `DELETE FROM later_table`)).toBeNull();
    app = await startApp(twoRoleConfig(), pino({ level: 'silent' }));
    expect(await as(appRole, `DELETE FROM audit_event`)).toBe('42501');
  });

  it('refuses to start when the app role owns a table', async () => {
    expect(await as(appRole, `SELECT 1`)).toBeNull();
    await adminQuery(urlOf('postgres'), `ALTER TABLE later_table OWNER TO ${appRole}`);
    await expect(startApp(twoRoleConfig(), pino({ level: 'silent' }))).rejects.toThrow(/owns later_table/);
  });
});

// npm run db:roles — with DATABASE_URL (the app's role) and DATABASE_MIGRATION_URL (the
// migration role, owner of the tables): runs pending migrations as the owner, grants the app's
// role what it may do (src/db/roles.ts), and shows what the app's role may do on audit_event.
// The server does the same at every start; this is for setting up or checking a deployment.
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from './database';
import { appRoleGrants } from './roles';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl || !config.databaseMigrationUrl) {
    console.error(
      "db:roles needs DATABASE_URL (the app's role) and DATABASE_MIGRATION_URL (the owner); " +
        'docs/security.md, "Database roles"',
    );
    process.exit(1);
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    migrationUrl: config.databaseMigrationUrl,
    dataDir: null,
    poolSize: 1,
  });
  try {
    const [row] = (await database.dataSource.query(
      `SELECT current_user AS "appRole", t.tableowner AS owner,
              ${['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']
                .map((p) => `has_table_privilege('audit_event', '${p}') AS "${p}"`)
                .join(', ')}
         FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename = 'audit_event'`,
    )) as ({ appRole: string; owner: string } & Record<string, boolean>)[];
    console.log(`granted to ${row.appRole} (tables owned by ${row.owner}):`);
    for (const statement of appRoleGrants(row.appRole, row.owner)) console.log(`  ${statement};`);
    const may = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'].filter((p) => row[p]);
    console.log(`${row.appRole} may ${may.join(', ')} on audit_event, and cannot alter it (not its owner)`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import type { EntityManager } from 'typeorm';

/** Tables the app may only add to and read: never change, delete or empty them. */
export const APPEND_ONLY_TABLES = ['audit_event'] as const;

/** A role name as an SQL identifier (double quotes doubled). */
export function quoteIdentifier(name: string): string {
  if (name === '' || name.includes('\0')) throw new Error(`not a role name: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * What the app's role may do in the schema the migration role (`owner`) owns: read and write
 * every table and sequence, now and in tables later migrations create, except the append-only
 * tables, on which it may only INSERT and SELECT. Not owning them, it cannot ALTER them (nor
 * disable their triggers). Idempotent.
 */
export function appRoleGrants(appRole: string, owner: string): string[] {
  const app = quoteIdentifier(appRole);
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdentifier(owner)} IN SCHEMA public`;
  return [
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    `${defaults} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `${defaults} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app}`,
    ...APPEND_ONLY_TABLES.flatMap((table) => [
      `REVOKE ALL ON ${table} FROM ${app}`,
      `GRANT SELECT, INSERT ON ${table} TO ${app}`,
    ]),
  ];
}

/**
 * Grants the app's role what appRoleGrants says, through the migration role's connection;
 * returns the statements run. Refuses when both are the same role (nothing would be
 * restricted) or when the app's role owns a table (it could alter it).
 */
export async function grantAppRole(owner: EntityManager, appRole: string): Promise<string[]> {
  const [{ ownerRole }] = (await owner.query('SELECT current_user AS "ownerRole"')) as { ownerRole: string }[];
  if (ownerRole === appRole) {
    throw new Error(
      `DATABASE_MIGRATION_URL and DATABASE_URL are the same role (${appRole}): give the app a role of its own`,
    );
  }
  const owned = (await owner.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND pg_get_userbyid(c.relowner) = $1`,
    [appRole],
  )) as { name: string }[];
  if (owned.length > 0) {
    throw new Error(
      `the app's role ${appRole} owns ${owned.map((o) => o.name).join(', ')}: ` +
        `ALTER TABLE … OWNER TO ${ownerRole} (see docs/security.md, "Database roles")`,
    );
  }
  const statements = appRoleGrants(appRole, ownerRole);
  for (const statement of statements) await owner.query(statement);
  return statements;
}

// npm run token -- --role CITIZEN [--sub <uuid>] [--dept <department id>] [--expires 12h]
// Prints a bearer token signed with JWT_SECRET (or the development secret) for local use; it
// carries exp, and --expires may not exceed TOKEN_MAX_LIFETIME_SECONDS (24 h by default).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { decodeJwt } from 'jose';
import { isRole, Role, signToken } from '../core/auth';
import { isUuid } from '../db/sql';

const USAGE = `npm run token -- [--role ROLE] [--sub UUID] [--dept DEPARTMENT_ID] [--expires 12h]
  --role     ${Object.values(Role).join(', ')} (default CITIZEN)
  --sub      the citizen's or staff member's id (default: a new UUID)
  --dept     the department of STAFF and REVIEWER (ids: query { departments { id name } })
  --expires  lifetime, at most TOKEN_MAX_LIFETIME_SECONDS (default 12h)
Prints a bearer token signed with JWT_SECRET (or the development secret).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'CITIZEN' },
      sub: { type: 'string' },
      dept: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const role = values.role!.toUpperCase();
  if (!isRole(role)) {
    console.error(`--role must be one of ${Object.values(Role).join(', ')} (--help for the options)`);
    process.exit(2);
  }
  // What the server would refuse (sub, dept) or what could act for no department: said here,
  // not at the first request.
  if (values.sub !== undefined && !isUuid(values.sub)) {
    console.error(`--sub must be a UUID (the citizen's or staff member's id), got "${values.sub}"`);
    process.exit(2);
  }
  if (values.dept !== undefined && !isUuid(values.dept)) {
    console.error(
      `--dept must be a department id (a UUID; ids: query { departments { id name } }), got "${values.dept}"`,
    );
    process.exit(2);
  }
  if ((role === Role.STAFF || role === Role.REVIEWER) && values.dept === undefined) {
    console.error(`--role ${role} needs --dept <department id> (ids: query { departments { id name } })`);
    process.exit(2);
  }
  const config = loadConfig();
  const sub = values.sub ?? randomUUID();
  const token = await signToken({ sub, role, dept: values.dept }, config.jwtSecret, values.expires);
  const { exp, iat } = decodeJwt(token);
  if (exp! - iat! > config.tokenMaxLifetimeSeconds) {
    const max = config.tokenMaxLifetimeSeconds;
    console.error(`--expires ${values.expires} is longer than TOKEN_MAX_LIFETIME_SECONDS (${max} s)`);
    process.exit(2);
  }
  if (exp! <= iat!) {
    console.error(`--expires ${values.expires} is not in the future`);
    process.exit(2);
  }
  console.error(`role ${role}, sub ${sub}${values.dept ? `, dept ${values.dept}` : ''}, expires in ${values.expires}`);
  console.log(token);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

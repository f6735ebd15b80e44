// npm run token -- --role CITIZEN [--sub <uuid>] [--dept <department id>] [--expires 12h]
// Prints a bearer token signed with JWT_SECRET (or the development secret) for local use.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { Role, signToken } from './auth';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'CITIZEN' },
      sub: { type: 'string' },
      dept: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role!.toUpperCase();
  if (!(role in Role)) {
    console.error(`--role must be one of ${Object.keys(Role).join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  const sub = values.sub ?? randomUUID();
  const token = await signToken({ sub, role: role as Role, dept: values.dept }, config.jwtSecret, values.expires);
  console.error(`role ${role}, sub ${sub}${values.dept ? `, dept ${values.dept}` : ''}, expires in ${values.expires}`);
  console.log(token);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import { UpdateMyProfileDocument, type CitizenProfileInput } from '../generated/graphql';
import type { TestApp } from './test-app';

export interface TestCitizen {
  id: string;
  token: string;
  client: GraphQLClient;
}

/** A citizen with a stored profile, ready to vote and send signals. */
export async function newCitizen(t: TestApp, profile: Partial<CitizenProfileInput> = {}): Promise<TestCitizen> {
  const id = randomUUID();
  const token = await t.token(Role.CITIZEN, { sub: id });
  const client = t.client(token);
  await client.request(UpdateMyProfileDocument, { input: { districtCode: '520103', birthYear: 1985, ...profile } });
  return { id, token, client };
}

/** Ids of published services, in code order. */
export async function publishedServiceIds(t: TestApp, limit = 10): Promise<string[]> {
  const rows: { id: string }[] = await t.db.query(
    `SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

export async function countRows(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM ${sql}`, params);
  return count;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { ClientError } from 'graphql-request';
import { departmentId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { registeredPolicies } from '../../src/core/policy';
import '../../src/modules';
import { publishedServiceIds } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

// The role matrix: every query and mutation of every policy table (src/modules/*/<m>.policy.ts),
// called with no token and with a token of each role. No token: UNAUTHENTICATED; a role the
// table does not list: FORBIDDEN by the decorator; a listed role passes the decorator (it may
// still fail on the dummy arguments, or on the service's department checks).

const schema = buildSchema(readFileSync(path.join(__dirname, '../../src/graphql/schema.graphql'), 'utf8'));
const ACCESS_DENIED = "Access denied! You don't have permission for this action!";
const DUMMY_ID = '00000000-0000-4000-8000-000000000000';

/** A literal of the type that passes GraphQL's own validation: required fields only. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return '[]';
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return JSON.stringify(DUMMY_ID);
      case 'Int':
      case 'Float':
        return '1';
      case 'Boolean':
        return 'false';
      case 'DateTime':
        return '"2026-01-01T00:00:00.000Z"';
      default:
        return '"x"';
    }
  }
  throw new Error(`no literal for ${String(type)}`);
}

function operationText(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const args = required.length ? `(${required.map((a) => `${a.name}: ${literal(a.type)}`).join(', ')})` : '';
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} { ${field.name}${args}${selection} }`;
}

interface Operation {
  name: string;
  text: string;
  allowed: readonly Role[];
}

function operations(): Operation[] {
  const roots: ['query' | 'mutation', GraphQLObjectType][] = [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ];
  const list: Operation[] = [];
  for (const policy of registeredPolicies().values()) {
    for (const [name, allowed] of Object.entries(policy)) {
      const root = roots.find(([, type]) => type.getFields()[name]);
      if (root) list.push({ name, text: operationText(root[0], root[1].getFields()[name]), allowed });
    }
  }
  return list;
}

async function errorsOf(request: Promise<unknown>): Promise<{ code?: string; message: string }[]> {
  try {
    await request;
    return [];
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    return (error.response.errors ?? []).map((e) => ({
      code: e.extensions?.code as string | undefined,
      message: e.message,
    }));
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const matrix = operations();

describe('role matrix', () => {
  it('covers every query and mutation of the policy tables', () => {
    expect(matrix.length).toBeGreaterThan(30);
    expect(matrix.map((o) => o.name)).toEqual(
      expect.arrayContaining(['demandTrends', 'unmetDemand', 'retireService', 'reviewProposal']),
    );
  });

  it.each(matrix.map((o) => [o.name, o] as const))(
    '%s: no token, each role listed and not listed',
    async (_name, operation) => {
      expect(await errorsOf(t.client().request(operation.text))).toEqual([
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      ]);
      for (const role of Object.values(Role)) {
        const dept = role === Role.STAFF || role === Role.REVIEWER ? departmentId('GY-GSC') : undefined;
        const errors = await errorsOf(t.client(await t.token(role, { dept })).request(operation.text));
        const denied = errors.some((e) => e.code === 'FORBIDDEN' && e.message === ACCESS_DENIED);
        expect({ role, denied }).toEqual({ role, denied: !operation.allowed.includes(role) });
        expect({ role, unauthenticated: errors.some((e) => e.code === 'UNAUTHENTICATED') }).toEqual({
          role,
          unauthenticated: false,
        });
      }
    },
  );

  it('ServiceOffering.versions: staff roles only', async () => {
    const [id] = await publishedServiceIds(t, 1);
    const query = `query { service(id: ${JSON.stringify(id)}) { versions { __typename } } }`;
    const staffRoles = registeredPolicies().get('catalogue')!.versions;
    for (const role of Object.values(Role)) {
      const dept = role === Role.STAFF || role === Role.REVIEWER ? departmentId('GY-GSC') : undefined;
      const errors = await errorsOf(t.client(await t.token(role, { dept })).request(query));
      expect({ role, errors: errors.map((e) => e.code) }).toEqual({
        role,
        errors: staffRoles.includes(role) ? [] : ['FORBIDDEN'],
      });
    }
  });
});

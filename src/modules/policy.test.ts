import { getMetadataStorage } from 'type-graphql';
import { Role } from '../core/auth';
import { SYSTEM, type Context } from '../core/context';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { registeredPolicies, requirePolicy } from '../core/policy';
import { unmetDemand } from './analytics/unmet.service';
import { demandTrends } from './analytics/trends.service';
import { Granularity } from './analytics/analytics.types';
import { resolvers } from './index';

/**
 * Queries and mutations without a role: anyone may call them (some read the caller when there
 * is one). Listed so that a new operation is either here or in a module's policy table.
 */
const OPEN_OPERATIONS = new Set<string>([
  'services',
  'service',
  'categories',
  'viewer',
  'departments',
  'department',
  'districts',
  'matchRequest',
  'servicePoints',
  'lifeEvents',
]);

const storage = getMetadataStorage();
const ours = new Set<Function>(resolvers);
const decorated = storage.authorizedFields.filter((a) => ours.has(a.target));
const entries = [...registeredPolicies()].flatMap(([module, policy]) =>
  Object.entries(policy).map(([operation, roles]) => ({ module, operation, roles })),
);

describe('policy tables', () => {
  it('every @Authorized operation is one policy entry, with the same roles', () => {
    expect(decorated.length).toBeGreaterThan(30);
    for (const field of decorated) {
      const matching = entries.filter((e) => e.operation === field.fieldName);
      expect({ field: field.fieldName, entries: matching.length }).toEqual({ field: field.fieldName, entries: 1 });
      expect({ field: field.fieldName, roles: [...field.roles].sort() }).toEqual({
        field: field.fieldName,
        roles: [...matching[0].roles].sort(),
      });
    }
  });

  it('every policy entry is used by a decorator', () => {
    const names = new Set(decorated.map((a) => a.fieldName));
    expect(entries.filter((e) => !names.has(e.operation))).toEqual([]);
  });

  it('every query and mutation is in a policy table or declared open', () => {
    const operations = [...storage.queries, ...storage.mutations].filter((r) => ours.has(r.target));
    const names = new Set(entries.map((e) => e.operation));
    const undeclared = operations
      .map((o) => o.schemaName)
      .filter((name) => !names.has(name) && !OPEN_OPERATIONS.has(name));
    expect(undeclared).toEqual([]);
    const stale = [...OPEN_OPERATIONS].filter((name) => !operations.some((o) => o.schemaName === name));
    expect(stale).toEqual([]);
  });

  it('lists only known roles, none twice', () => {
    for (const { operation, roles } of entries) {
      expect({ operation, roles: roles.filter((r) => !Object.values(Role).includes(r)) }).toEqual({
        operation,
        roles: [],
      });
      expect({ operation, size: new Set(roles).size }).toEqual({ operation, size: roles.length });
    }
  });
});

describe('requirePolicy', () => {
  const as = (role: Role) => ({ user: { id: 'u', role, departmentId: null } }) as unknown as Context;

  it('passes the SYSTEM actor of jobs and a user of an allowed role', () => {
    expect(requirePolicy({ user: null, actor: SYSTEM } as unknown as Context, [Role.PLANNER])).toBe(SYSTEM);
    expect(requirePolicy(as(Role.PLANNER), [Role.PLANNER, Role.ADMIN])).toMatchObject({ role: Role.PLANNER });
  });

  it('refuses another role (FORBIDDEN) and no user (UNAUTHENTICATED)', () => {
    expect(() => requirePolicy(as(Role.CITIZEN), [Role.PLANNER])).toThrow(ForbiddenError);
    expect(() => requirePolicy({ user: null } as unknown as Context, [Role.PLANNER])).toThrow(UnauthenticatedError);
  });

  it('is checked by the analytics services themselves, before any read', async () => {
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };
    await expect(unmetDemand(as(Role.CITIZEN), { ...window, districtCode: null, first: 5 })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      demandTrends(as(Role.REVIEWER), { filter: window, granularity: Granularity.WEEK, groupBy: [] }),
    ).rejects.toThrow(ForbiddenError);
  });
});

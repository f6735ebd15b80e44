import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import {
  CitizenDocument,
  RecommendedDocument,
  SubmitRequestDocument,
  UpdateMyProfileDocument,
  ViewerDocument,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('viewer and tokens', () => {
  it('is null without a token', async () => {
    expect((await t.client().request(ViewerDocument)).viewer).toBeNull();
  });

  it('refuses a token that is forged, expired or not a bearer token', async () => {
    const forged = new GraphQLClient(t.url, {
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' },
    });
    await expectError(forged.request(ViewerDocument), 'UNAUTHENTICATED');
    const basic = new GraphQLClient(t.url, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    await expectError(basic.request(ViewerDocument), 'UNAUTHENTICATED');
  });

  it('reports the caller with role, and a staff member with their department', async () => {
    const sub = randomUUID();
    const citizen = t.client(await t.token(Role.CITIZEN, { sub }));
    expect((await citizen.request(ViewerDocument)).viewer).toEqual({
      id: sub,
      role: 'CITIZEN',
      citizen: null,
      department: null,
    });

    const [{ id: departmentId }] = await t.db.query('SELECT id FROM department ORDER BY code LIMIT 1');
    const staff = t.client(await t.token(Role.STAFF, { dept: departmentId }));
    const viewer = (await staff.request(ViewerDocument)).viewer!;
    expect(viewer.role).toBe('STAFF');
    expect(viewer.department?.id).toBe(departmentId);
  });
});

describe('updateMyProfile and citizen', () => {
  it('creates the profile under the token sub, then updates only what is given', async () => {
    const sub = randomUUID();
    const client = t.client(await t.token(Role.CITIZEN, { sub }));
    const created = (
      await client.request(UpdateMyProfileDocument, {
        input: {
          districtCode: '520103',
          birthYear: 1950,
          tags: ['retiree', 'disabled'],
          interestCategoryCodes: ['community.elderly'],
        },
      })
    ).updateMyProfile;
    expect(created).toMatchObject({
      id: sub,
      district: { code: '520103', name: '云岩区' },
      birthYear: 1950,
      ageBand: 'SENIOR',
      tags: ['disabled', 'retiree'],
      interests: [{ code: 'community.elderly' }],
      personalization: true,
    });

    const updated = (
      await client.request(UpdateMyProfileDocument, { input: { districtCode: '520111', personalization: false } })
    ).updateMyProfile;
    expect(updated).toMatchObject({
      district: { code: '520111' },
      birthYear: 1950,
      tags: ['disabled', 'retiree'],
      personalization: false,
    });
    expect(updated.interests).toEqual([{ code: 'community.elderly' }]);

    expect((await client.request(CitizenDocument, { id: sub })).citizen?.district.code).toBe('520111');
  });

  it('tells a citizen with no profile yet to create one, then serves them', async () => {
    const sub = randomUUID();
    const client = t.client(await t.token(Role.CITIZEN, { sub }));
    for (const request of [
      client.request(RecommendedDocument, { first: 3 }),
      client.request(SubmitRequestDocument, { input: { text: '我想用公积金付房租' } }),
    ]) {
      const error = await expectError(request, 'NOT_FOUND');
      expect(error.message).toContain('updateMyProfile');
      expect(error.extensions?.entity).toBe('Citizen');
    }
    // Someone else's missing profile is only not found.
    const planner = t.client(await t.token(Role.PLANNER));
    const other = await expectError(planner.request(RecommendedDocument, { citizenId: sub }), 'NOT_FOUND');
    expect(other.message).not.toContain('updateMyProfile');

    await client.request(UpdateMyProfileDocument, { input: { districtCode: '520103' } });
    expect((await client.request(RecommendedDocument, { first: 3 })).recommendedServices.edges).toHaveLength(3);
    expect(
      (await client.request(SubmitRequestDocument, { input: { text: '我想用公积金付房租' } })).submitRequest.unmet,
    ).toBe(false);
  });

  it('refuses bad input with a code, naming the field, and writes nothing', async () => {
    const sub = randomUUID();
    const client = t.client(await t.token(Role.CITIZEN, { sub }));
    const unknownDistrict = await expectError(
      client.request(UpdateMyProfileDocument, { input: { districtCode: '999999' } }),
      'NOT_FOUND',
    );
    expect(unknownDistrict.extensions?.field).toBe('input.districtCode');

    const badTag = await expectError(
      client.request(UpdateMyProfileDocument, { input: { districtCode: '520103', tags: ['vip'] } }),
      'BAD_USER_INPUT',
    );
    expect(badTag.extensions?.validationErrors?.[0].property).toBe('tags');

    await expectError(
      client.request(UpdateMyProfileDocument, { input: { districtCode: '520103', birthYear: 2999 } }),
      'BAD_USER_INPUT',
    );
    await expectError(
      client.request(UpdateMyProfileDocument, {
        input: { districtCode: '520103', interestCategoryCodes: ['no.such'] },
      }),
      'NOT_FOUND',
    );
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM citizen WHERE id = $1', [sub]);
    expect(count).toBe(0);
  });

  it('lets a citizen read only their own profile, and ADMIN anyone’s', async () => {
    const sub = randomUUID();
    await t
      .client(await t.token(Role.CITIZEN, { sub }))
      .request(UpdateMyProfileDocument, { input: { districtCode: '520102' } });
    const other = t.client(await t.token(Role.CITIZEN));
    await expectError(other.request(CitizenDocument, { id: sub }), 'FORBIDDEN');
    await expectError(t.client(await t.token(Role.PLANNER)).request(CitizenDocument, { id: sub }), 'FORBIDDEN');
    await expectError(t.client().request(CitizenDocument, { id: sub }), 'UNAUTHENTICATED');
    const admin = t.client(await t.token(Role.ADMIN));
    expect((await admin.request(CitizenDocument, { id: sub })).citizen?.district.code).toBe('520102');
    expect((await admin.request(CitizenDocument, { id: randomUUID() })).citizen).toBeNull();
  });

  it('is for citizens only', async () => {
    const staff = t.client(await t.token(Role.STAFF));
    await expectError(staff.request(UpdateMyProfileDocument, { input: { districtCode: '520102' } }), 'FORBIDDEN');
  });
});

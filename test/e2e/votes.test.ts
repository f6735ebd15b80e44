import { randomUUID } from 'node:crypto';
import { Role } from '../../src/core/auth';
import { wilsonLowerBound } from '../../src/modules/catalogue/service-stats';
import { RateServiceDocument, ServiceDocument, VoteDocument } from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen, publishedServiceIds } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let services: string[];
beforeAll(async () => {
  t = await startTestApp();
  services = await publishedServiceIds(t, 6);
});
afterAll(async () => {
  await t?.stop();
});

async function stats(serviceId: string) {
  return (await t.client().request(ServiceDocument, { id: serviceId })).service!.stats;
}

/** The counters must always equal what the vote table holds. */
async function expectCountersMatchVotes(serviceId: string) {
  const [{ up, down }] = await t.db.query(
    `SELECT count(*) FILTER (WHERE value = 'UP')::int AS up, count(*) FILTER (WHERE value = 'DOWN')::int AS down
       FROM vote WHERE service_id = $1`,
    [serviceId],
  );
  const s = await stats(serviceId);
  expect({ upvotes: s.upvotes, downvotes: s.downvotes }).toEqual({ upvotes: up, downvotes: down });
}

describe('vote', () => {
  it('casts, changes and clears one vote per citizen and service', async () => {
    const citizen = await newCitizen(t);
    const serviceId = services[0];
    const up = (await citizen.client.request(VoteDocument, { serviceId, value: 'UP' })).vote;
    expect(up.viewerVote).toBe('UP');
    expect(up.service).toMatchObject({ id: serviceId, viewerVote: 'UP', stats: { upvotes: 1, downvotes: 0 } });
    expect(up.service.stats.voteScore).toBeCloseTo(wilsonLowerBound(1, 0), 10);

    const down = (await citizen.client.request(VoteDocument, { serviceId, value: 'DOWN' })).vote;
    expect(down.service.stats).toMatchObject({ upvotes: 0, downvotes: 1, voteScore: 0 });

    const cleared = (await citizen.client.request(VoteDocument, { serviceId, value: null })).vote;
    expect(cleared.viewerVote).toBeNull();
    expect(cleared.service.stats).toMatchObject({ upvotes: 0, downvotes: 0 });
    expect(await countRows(t, 'vote WHERE citizen_id = $1', [citizen.id])).toBe(0);
  });

  it('keeps exactly one vote and exact counters under 50 concurrent calls from one citizen', async () => {
    const citizen = await newCitizen(t);
    const serviceId = services[1];
    const values = Array.from(
      { length: 50 },
      (_, i) => (i % 3 === 0 ? 'DOWN' : i % 7 === 0 ? null : 'UP') as 'UP' | 'DOWN' | null,
    );
    const results = await Promise.allSettled(
      values.map((value) => citizen.client.request(VoteDocument, { serviceId, value })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(
      await countRows(t, 'vote WHERE citizen_id = $1 AND service_id = $2', [citizen.id, serviceId]),
    ).toBeLessThanOrEqual(1);
    await expectCountersMatchVotes(serviceId);
  });

  it('keeps exact counters when many citizens vote on one service at once', async () => {
    const citizens = await Promise.all(Array.from({ length: 20 }, () => newCitizen(t)));
    const serviceId = services[2];
    await Promise.all(
      citizens.flatMap((c, i) => [
        c.client.request(VoteDocument, { serviceId, value: 'UP' }),
        c.client.request(VoteDocument, { serviceId, value: i % 2 === 0 ? 'DOWN' : 'UP' }),
      ]),
    );
    await expectCountersMatchVotes(serviceId);
    const s = await stats(serviceId);
    expect(s.upvotes + s.downvotes).toBe(20);
  });

  it('refuses unknown services and non-citizens', async () => {
    const citizen = await newCitizen(t);
    const notFound = await expectError(
      citizen.client.request(VoteDocument, { serviceId: randomUUID(), value: 'UP' }),
      'NOT_FOUND',
    );
    expect(notFound.extensions?.field).toBe('serviceId');
    await expectError(citizen.client.request(VoteDocument, { serviceId: 'not-a-uuid', value: 'UP' }), 'NOT_FOUND');
    await expectError(t.client().request(VoteDocument, { serviceId: services[0], value: 'UP' }), 'UNAUTHENTICATED');
    await expectError(
      t.client(await t.token(Role.REVIEWER)).request(VoteDocument, { serviceId: services[0], value: 'UP' }),
      'FORBIDDEN',
    );
  });
});

describe('rateService', () => {
  it('replaces a citizen’s earlier rating and averages over citizens', async () => {
    const serviceId = services[3];
    const [a, b] = [await newCitizen(t), await newCitizen(t)];
    await a.client.request(RateServiceDocument, { serviceId, stars: 2 });
    await b.client.request(RateServiceDocument, { serviceId, stars: 5, comment: '办得很快' });
    const replaced = (await a.client.request(RateServiceDocument, { serviceId, stars: 4 })).rateService;
    expect(replaced.stats).toEqual({ ratingCount: 2, ratingAverage: 4.5 });
    expect(await countRows(t, "signal WHERE kind = 'RATING' AND service_id = $1", [serviceId])).toBe(3);
  });

  it('takes 1 to 5 stars and writes nothing otherwise', async () => {
    const citizen = await newCitizen(t);
    for (const stars of [0, 6, -1]) {
      await expectError(
        citizen.client.request(RateServiceDocument, { serviceId: services[4], stars }),
        'BAD_USER_INPUT',
      );
    }
    await expectError(
      citizen.client.request(RateServiceDocument, { serviceId: services[4], stars: 3, comment: '长'.repeat(2001) }),
      'BAD_USER_INPUT',
    );
    expect(await countRows(t, 'rating WHERE citizen_id = $1', [citizen.id])).toBe(0);
    expect(await countRows(t, 'signal WHERE citizen_id = $1', [citizen.id])).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { Role } from '../../core/auth';
import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { accessEventPage, auditEventPage, insertAccessEvent, insertAuditEvent } from './audit.queries';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

describe('audit queries on the database', () => {
  it('pages the trail newest first with the total of its filter, and reads details back as stored', async () => {
    await rolledBack(t.db, async (db) => {
      const actor = randomUUID();
      for (const n of [1, 2, 3]) {
        await insertAuditEvent(db, {
          actorId: actor,
          actorRole: Role.CITIZEN,
          action: 'vote.cast',
          targetType: 'service',
          targetId: `s${n}`,
          detailsJson: JSON.stringify({ n }),
        });
      }
      await insertAuditEvent(db, {
        actorId: null,
        actorRole: null,
        action: 'service.retire',
        targetType: 'service',
        targetId: null,
        detailsJson: null,
      });
      const page = await auditEventPage(db, { actorId: actor }, 1, 1);
      expect(page.totalCount).toBe(3);
      // One transaction: the same time, so the id orders them.
      expect(page.rows.map((r) => r.targetId)).toEqual(['s2', 's1']);
      expect(page.rows[0]).toMatchObject({ actorRole: 'CITIZEN', action: 'vote.cast', details: { n: 2 } });
      const future = new Date(Date.now() + 3_600_000);
      expect(await auditEventPage(db, { action: 'service.retire', from: future }, 0, 10)).toEqual({
        rows: [],
        totalCount: 0,
      });
      expect((await auditEventPage(db, { action: 'service.retire', to: future }, 0, 10)).totalCount).toBe(1);
    });
  });

  it('pages access events by keyset: a page after an id, the total whatever the page', async () => {
    await rolledBack(t.db, async (db) => {
      const citizenId = randomUUID();
      for (const what of ['citizen.profile', 'citizen.ranking', 'citizen.profile']) {
        await insertAccessEvent(db, {
          requestId: 'r1',
          actorId: randomUUID(),
          actorRole: Role.ADMIN,
          actorDepartmentId: null,
          citizenId,
          what,
          detailsJson: null,
        });
      }
      const first = await accessEventPage(db, { citizenId }, 2, null);
      expect(first.rows).toHaveLength(3);
      expect(first.totalCount).toBe(3);
      const ids = first.rows.map((r) => BigInt(r.id));
      expect(ids[0] > ids[1] && ids[1] > ids[2]).toBe(true);
      const next = await accessEventPage(db, { citizenId }, 2, first.rows[1].id);
      expect(next.rows.map((r) => r.id)).toEqual([first.rows[2].id]);
      expect(next.totalCount).toBe(3);
      expect((await accessEventPage(db, { citizenId, what: 'citizen.ranking' }, 5, null)).totalCount).toBe(1);
    });
  });
});

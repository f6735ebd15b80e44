import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  departmentIds,
  insertCitizen,
  leafCategoryId,
  openTestDatabase,
  rolledBack,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { Channel } from '../catalogue/catalogue.enums';
import { ProposalStatus, ReviewDecision } from './proposal-state';
import {
  countProposals,
  insertProposal,
  insertReview,
  lockProposalRow,
  moveProposal,
  proposalById,
  proposalsPage,
  recentUnmetRequests,
  updateProposalContent,
  type ProposalContent,
} from './proposals.queries';

let t: TestDatabase;
let categoryId: string;
let departments: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  categoryId = await leafCategoryId(t.db);
  departments = await departmentIds(t.db, 2);
});
afterAll(async () => {
  await t?.close();
});

const content = (title: string): ProposalContent => ({
  title,
  titleEn: null,
  summary: '为老人上门办理',
  description: null,
  categoryId,
  tags: ['老人'],
  coDepartmentIds: [departments[1]],
  channels: [Channel.ONLINE],
  minAge: 60,
  maxAge: null,
  requiredTags: [],
  districtCodes: [],
  rationale: null,
  replacesServiceId: null,
  guideData: { steps: [{ title: '在线申请' }] } as unknown as ProposalContent['guideData'],
});

const propose = (db: EntityManager, title = '上门办证', departmentId = departments[0]) =>
  insertProposal(db, { id: randomUUID(), departmentId, createdBy: randomUUID() }, content(title));

describe('proposals queries on the database', () => {
  it('inserts a DRAFT with its content and reads it back under the entity names', async () => {
    await rolledBack(t.db, async (db) => {
      const row = await propose(db);
      expect(row).toMatchObject({
        title: '上门办证',
        status: 'DRAFT',
        departmentId: departments[0],
        coDepartmentIds: [departments[1]],
        channels: ['ONLINE'],
        minAge: 60,
        submittedAt: null,
        decidedAt: null,
      });
      const read = (await proposalById(db, row.id as string))!;
      const guide = typeof read.guideData === 'string' ? JSON.parse(read.guideData) : read.guideData;
      expect(guide).toEqual({ steps: [{ title: '在线申请' }] });
      expect(await proposalById(db, randomUUID())).toBeUndefined();
    });
  });

  it('moves a proposal only from the state it was read in, stamping submission and decision', async () => {
    await rolledBack(t.db, async (db) => {
      const id = (await propose(db)).id as string;
      const submitted = (await moveProposal(db, id, ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, null))!;
      expect(submitted).toMatchObject({ status: 'SUBMITTED', decidedAt: null });
      expect(submitted.submittedAt).toBeInstanceOf(Date);
      // A second move from the stale state changes nothing.
      expect(await moveProposal(db, id, ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN, null)).toBeUndefined();
      const [{ id: serviceId }] = await db.query('SELECT id FROM service ORDER BY code LIMIT 1');
      const approved = (await moveProposal(db, id, ProposalStatus.SUBMITTED, ProposalStatus.APPROVED, serviceId))!;
      expect(approved).toMatchObject({ status: 'APPROVED', serviceId });
      expect(approved.decidedAt).toBeInstanceOf(Date);
      expect(approved.submittedAt).toEqual(submitted.submittedAt);
    });
  });

  it('replaces the content only while the proposal is in the state read', async () => {
    await rolledBack(t.db, async (db) => {
      const id = (await propose(db)).id as string;
      expect(await updateProposalContent(db, id, ProposalStatus.SUBMITTED, content('改过'))).toBeUndefined();
      const updated = (await updateProposalContent(db, id, ProposalStatus.DRAFT, { ...content('改过'), tags: [] }))!;
      expect(updated).toMatchObject({ title: '改过', tags: [], status: 'DRAFT' });
    });
  });

  it('locks the proposal row for the rest of the transaction', async () => {
    await rolledBack(t.db, async (db) => {
      const id = (await propose(db)).id as string;
      expect(await lockProposalRow(db, id)).toMatchObject({ id, status: 'DRAFT' });
      // The row's xmax is the locking transaction's id.
      const [{ locked }] = await db.query(
        `SELECT xmax::text = (txid_current() % 4294967296)::text AS locked FROM proposal WHERE id = $1`,
        [id],
      );
      expect(locked).toBe(true);
    });
    // On PostgreSQL, another transaction cannot take the lock meanwhile (PGlite has one connection).
    if (t.databaseKind === 'postgres') {
      const id = randomUUID();
      await insertProposal(t.db.manager, { id, departmentId: departments[0], createdBy: randomUUID() }, content('锁'));
      try {
        await t.db.transaction(async (tx) => {
          await lockProposalRow(tx, id);
          await expect(
            t.db.transaction((other) => other.query('SELECT id FROM proposal WHERE id = $1 FOR UPDATE NOWAIT', [id])),
          ).rejects.toThrow(/could not obtain lock/);
        });
      } finally {
        await t.db.query('DELETE FROM proposal WHERE id = $1', [id]);
      }
    }
  });

  it('records a review', async () => {
    await rolledBack(t.db, async (db) => {
      const id = (await propose(db)).id as string;
      const reviewerId = randomUUID();
      const review = {
        proposalId: id,
        reviewerId,
        reviewerDepartmentId: departments[1],
        decision: ReviewDecision.REQUEST_CHANGES,
        comment: '请补充材料',
      };
      await insertReview(db, { id: randomUUID(), ...review });
      const rows = await db.query('SELECT decision, comment, reviewer_id FROM proposal_review WHERE proposal_id = $1', [
        id,
      ]);
      expect(rows).toEqual([{ decision: 'REQUEST_CHANGES', comment: '请补充材料', reviewer_id: reviewerId }]);
    });
  });

  it('pages proposals newest first by department and status, and counts them', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM proposal_review');
      await db.query('DELETE FROM proposal');
      const ids: string[] = [];
      for (const [i, title] of ['一', '二', '三'].entries()) {
        ids.push((await propose(db, title)).id as string);
        await db.query(`UPDATE proposal SET created_at = now() + make_interval(secs => $2) WHERE id = $1`, [ids[i], i]);
      }
      await propose(db, '别的部门', departments[1]);
      await moveProposal(db, ids[1], ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, null);

      const mine = { departmentId: departments[0], status: null };
      expect((await proposalsPage(db, mine, 0, 2)).map((r) => r.title)).toEqual(['三', '二', '一']);
      expect((await proposalsPage(db, mine, 2, 2)).map((r) => r.title)).toEqual(['一']);
      expect(await countProposals(db, mine)).toBe(3);
      expect(await countProposals(db, { departmentId: null, status: null })).toBe(4);
      const drafts = { departmentId: departments[0], status: ProposalStatus.DRAFT };
      expect((await proposalsPage(db, drafts, 0, 10)).map((r) => r.title)).toEqual(['三', '一']);
      expect(await countProposals(db, { departmentId: null, status: ProposalStatus.SUBMITTED })).toBe(1);
    });
  });

  it('reads the newest unmet free-text requests of the window', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query("UPDATE signal SET unmet = NULL WHERE kind = 'REQUEST'");
      const citizen = await insertCitizen(db);
      const [{ code: district }] = await db.query('SELECT code FROM district ORDER BY code LIMIT 1');
      const signal = (text: string | null, daysAgo: number, unmet: boolean, kind = 'REQUEST') =>
        db.query(
          `INSERT INTO signal (citizen_id, kind, district_code, text, occurred_at, unmet)
           VALUES ($1, $2, $3, $4, now() - make_interval(days => $5), $6)`,
          [citizen, kind, district, text, daysAgo, unmet],
        );
      await signal('最新的', 1, true);
      await signal('较早的', 5, true);
      await signal('太早的', 40, true);
      await signal('已满足', 2, false);
      await signal(null, 2, true);
      const rows = await recentUnmetRequests(db, 30, 10);
      expect(rows).toEqual([
        { id: expect.any(String), citizenId: citizen, text: '最新的', districtCode: district, needCode: null },
        { id: expect.any(String), citizenId: citizen, text: '较早的', districtCode: district, needCode: null },
      ]);
      expect((await recentUnmetRequests(db, 30, 1)).map((r) => r.text)).toEqual(['最新的']);
    });
  });
});

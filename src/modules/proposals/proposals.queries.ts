import type { EntityManager } from 'typeorm';
import { queryRows, SqlConditions } from '../../db/sql';
import type { ServiceContent } from '../catalogue/catalogue.queries';
import type { GuideData } from '../guides/guide';
import type { ProposalStatus, ReviewDecision } from './proposal-state';

/** The SQL of proposals: their rows, moves, content, reviews, and the unmet requests read as demand evidence. */

const PROPOSAL_COLUMNS = `p.id, p.title, p.title_en AS "titleEn", p.summary, p.description, p.category_id AS "categoryId",
  p.tags, p.department_id AS "departmentId", p.co_department_ids::text[] AS "coDepartmentIds", p.channels::text[] AS channels,
  p.min_age AS "minAge", p.max_age AS "maxAge", p.required_tags AS "requiredTags", p.district_codes::text[] AS "districtCodes",
  p.rationale, p.replaces_service_id AS "replacesServiceId", p.guide AS "guideData", p.status, p.service_id AS "serviceId", p.created_by AS "createdBy",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.submitted_at AS "submittedAt", p.decided_at AS "decidedAt"`;

/** A proposal's row under the entity's property names (its guide as JSON, or its text), for `proposalFromRow`. */
export type ProposalRow = Record<string, unknown>;

/** The proposal's content: what approval publishes. */
export type ProposalContent = Omit<ServiceContent, 'departmentId'> & {
  rationale: string | null;
  replacesServiceId: string | null;
  guideData: GuideData | null;
};

/** The content fields, in the order of their columns. */
export const CONTENT_FIELDS = [
  'title',
  'titleEn',
  'summary',
  'description',
  'categoryId',
  'tags',
  'coDepartmentIds',
  'channels',
  'minAge',
  'maxAge',
  'requiredTags',
  'districtCodes',
  'rationale',
  'replacesServiceId',
  'guideData',
] as const satisfies readonly (keyof ProposalContent)[];

/** The content columns' values, in CONTENT_FIELDS order. */
function contentValues(content: ProposalContent): unknown[] {
  return CONTENT_FIELDS.map((field) =>
    field === 'guideData' ? (content.guideData ? JSON.stringify(content.guideData) : null) : content[field],
  );
}
const CONTENT_COLUMNS = `title, title_en, summary, description, category_id, tags, co_department_ids, channels,
  min_age, max_age, required_tags, district_codes, rationale, replaces_service_id, guide`;
const CASTS: Partial<Record<(typeof CONTENT_FIELDS)[number], string>> = {
  channels: '::channel[]',
  coDepartmentIds: '::uuid[]',
  guideData: '::jsonb',
};
/** The content columns, in CONTENT_FIELDS order, as SQL placeholders from `$first`. */
const contentPlaceholders = (first: number) =>
  CONTENT_FIELDS.map((field, i) => `$${first + i}${CASTS[field] ?? ''}`).join(', ');

/** A category by code, with its parent (null for a top-level one); none: no row. */
export async function categoryByCode(
  db: EntityManager,
  code: string,
): Promise<{ id: string; parentId: string | null } | undefined> {
  const [category] = await queryRows<{ id: string; parentId: string | null }>(
    db,
    'SELECT id, parent_id AS "parentId" FROM category WHERE code = $1',
    [code],
  );
  return category;
}

/** Inserts a DRAFT proposal of a department; its row. */
export async function insertProposal(
  db: EntityManager,
  proposal: { id: string; departmentId: string; createdBy: string },
  content: ProposalContent,
): Promise<ProposalRow> {
  const [row] = await queryRows<ProposalRow>(
    db,
    `INSERT INTO proposal AS p (id, department_id, created_by, status, ${CONTENT_COLUMNS})
           VALUES ($1, $2, $3, 'DRAFT', ${contentPlaceholders(4)})
           RETURNING ${PROPOSAL_COLUMNS}`,
    [proposal.id, proposal.departmentId, proposal.createdBy, ...contentValues(content)],
  );
  return row;
}

/** A proposal (a lower-case UUID); none: no row. */
export async function proposalById(db: EntityManager, id: string): Promise<ProposalRow | undefined> {
  const [row] = await queryRows<ProposalRow>(db, `SELECT ${PROPOSAL_COLUMNS} FROM proposal p WHERE p.id = $1`, [id]);
  return row;
}

/** A proposal (a lower-case UUID), its row locked for the rest of the transaction; none: no row. */
export async function lockProposalRow(db: EntityManager, id: string): Promise<ProposalRow | undefined> {
  const [row] = await queryRows<ProposalRow>(
    db,
    `SELECT ${PROPOSAL_COLUMNS} FROM proposal p WHERE p.id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

/**
 * Moves a proposal from `from` to `to` with its service, stamping submitted_at or decided_at,
 * only while it is still in `from`; its new row, none when it no longer was.
 */
export async function moveProposal(
  db: EntityManager,
  id: string,
  from: ProposalStatus,
  to: ProposalStatus,
  serviceId: string | null,
): Promise<ProposalRow | undefined> {
  const [row] = await queryRows<ProposalRow>(
    db,
    // Through a CTE: TypeORM answers a bare UPDATE with [rows, count].
    `WITH changed AS (
       UPDATE proposal AS p
          SET status = $2::proposal_status, service_id = $4::uuid, updated_at = now(),
              submitted_at = CASE WHEN $2::proposal_status = 'SUBMITTED' THEN now() ELSE p.submitted_at END,
              decided_at = CASE WHEN $2::proposal_status IN ('APPROVED', 'REJECTED') THEN now() ELSE p.decided_at END
        WHERE p.id = $1 AND p.status = $3::proposal_status
        RETURNING ${PROPOSAL_COLUMNS}
     ) SELECT * FROM changed`,
    [id, to, from, serviceId],
  );
  return row;
}

/** Replaces a proposal's content while it is still in `status`; its new row, none when it no longer was. */
export async function updateProposalContent(
  db: EntityManager,
  id: string,
  status: ProposalStatus,
  content: ProposalContent,
): Promise<ProposalRow | undefined> {
  const [row] = await queryRows<ProposalRow>(
    db,
    `WITH changed AS (
         UPDATE proposal AS p SET (${CONTENT_COLUMNS}) = (${contentPlaceholders(3)}), updated_at = now()
          WHERE p.id = $1 AND p.status = $2
          RETURNING ${PROPOSAL_COLUMNS}
       ) SELECT * FROM changed`,
    [id, status, ...contentValues(content)],
  );
  return row;
}

/** A service's status; none: no such service. */
export async function serviceStatusOf(db: EntityManager, serviceId: string): Promise<string | undefined> {
  const [service] = await queryRows<{ status: string }>(db, 'SELECT status FROM service WHERE id = $1', [serviceId]);
  return service?.status;
}

/** A reviewer's decision on a proposal. */
export interface NewReview {
  id: string;
  proposalId: string;
  reviewerId: string;
  reviewerDepartmentId: string | null;
  decision: ReviewDecision;
  comment: string | null;
}

export async function insertReview(db: EntityManager, review: NewReview): Promise<void> {
  await db.query(
    `INSERT INTO proposal_review (id, proposal_id, reviewer_id, reviewer_department_id, decision, comment)
       VALUES ($1, $2, $3, $4, $5, $6)`,
    [review.id, review.proposalId, review.reviewerId, review.reviewerDepartmentId, review.decision, review.comment],
  );
}

/** Which proposals a listing reads: of a department, in a status (each when given). */
export interface ProposalCriteria {
  departmentId: string | null;
  status: ProposalStatus | null;
}

function proposalsWhere(criteria: ProposalCriteria): SqlConditions {
  return new SqlConditions().equals('p.department_id', criteria.departmentId).equals('p.status', criteria.status);
}

/** A page of the proposals, newest first: `limit` + 1 rows at most (the last one tells of a next page). */
export async function proposalsPage(
  db: EntityManager,
  criteria: ProposalCriteria,
  offset: number,
  limit: number,
): Promise<ProposalRow[]> {
  const where = proposalsWhere(criteria);
  return queryRows<ProposalRow>(
    db,
    `SELECT ${PROPOSAL_COLUMNS} FROM proposal p ${where.clause}
      ORDER BY p.created_at DESC, p.id DESC LIMIT ${where.param(limit + 1)} OFFSET ${where.param(offset)}`,
    where.params,
  );
}

/** How many proposals a listing has. */
export async function countProposals(db: EntityManager, criteria: ProposalCriteria): Promise<number> {
  const where = proposalsWhere(criteria);
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM proposal p ${where.clause}`,
    where.params,
  );
  return count;
}

/** An unmet free-text request, as demand evidence reads it. */
export interface UnmetRequestRow {
  id: string;
  citizenId: string;
  text: string;
  districtCode: string;
  /** The need recognised in it when it was filed. */
  needCode: string | null;
}

/**
 * The newest `max` unmet free-text requests (REQUEST signals with unmet = true, through their
 * partial index) of the last `days` days, newest first.
 */
export async function recentUnmetRequests(db: EntityManager, days: number, max: number): Promise<UnmetRequestRow[]> {
  return queryRows<UnmetRequestRow>(
    db,
    `SELECT id::text AS id, citizen_id AS "citizenId", text, district_code AS "districtCode", need_code AS "needCode"
             FROM signal
            WHERE kind = 'REQUEST' AND unmet AND text IS NOT NULL AND occurred_at >= now() - make_interval(days => $1)
            ORDER BY occurred_at DESC, id DESC
            LIMIT ${max}`,
    [days],
  );
}

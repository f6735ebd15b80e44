import { randomUUID } from 'node:crypto';
import { isUuid } from '../../db/sql';
import { stableId } from '../../db/stable-id';
import { Role, type AuthUser } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError, type FieldError } from '../../core/errors';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { fieldErrors, throwIfAny } from '../../core/validation';
import { isBlankText, tokenize } from '../../text';
import { redactPersonalData } from '../../text/redact';
import { recordAudit } from '../audit/audit.service';
import { needsOfDepartment, notifyNeedsMet, serviceNeedOf, type TopNeed } from '../requests/need-met.service';
import { catalogueIndexOf } from '../matching/catalogue-index';
import { NeedMetCheck } from '../requests/need-met';
import { publishService, reviseService, type ServiceContent } from '../catalogue/catalogue-admin.service';
import { ServiceStatus } from '../catalogue/catalogue.enums';
import type { ServiceOffering } from '../catalogue/service.entity';
import { catalogueSnapshot, forgetCatalogueSnapshot, type CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import type { ProposalFilter, ProposalInput } from './proposal.inputs';
import { Proposal } from './proposal.entity';
import {
  auditActionOf,
  illegalMoveMessage,
  nextStatus,
  ProposalStatus,
  ReviewDecision,
  type ProposalAction,
} from './proposal-state';
import type { DemandEvidence, SimilarService } from './proposal.types';
import {
  categoryByCode,
  CONTENT_FIELDS,
  countProposals,
  insertProposal,
  insertReview,
  lockProposalRow,
  moveProposal,
  proposalById,
  proposalsPage,
  serviceStatusOf,
  updateProposalContent,
  type ProposalContent,
  type ProposalRow,
} from './proposals.queries';
import { SimilarityIndex } from './similarity';
import { parseGuide, type GuideData } from '../guides/guide';
import { guideDataOf, guideFaults } from '../guides/guide-check';
import { writeGuide } from '../catalogue/catalogue-admin.service';
import { idempotencyKeyOf } from '../idempotency/idempotency-key';
import { runOnce } from '../idempotency/idempotency.service';
import { proposalsPolicy, READ_ALL_ROLES } from './proposals.policy';

/** Roles that read every department's proposals; STAFF read their own department's. */
/** Demand evidence looks this far back. */
export const DEMAND_WINDOW_DAYS = 90;
const MAX_SAMPLES = 5;

const proposalFromRow = (row: ProposalRow): Proposal =>
  Object.assign(new Proposal(), row, { guideData: parseGuide(row.guideData as GuideData | string | null) });

type StaffUser = AuthUser & { departmentId: string };

/** A STAFF caller with the department they act for. */
function requireStaffDepartment(ctx: Context, roles: readonly Role[]): StaffUser {
  const user = requireRole(ctx, ...roles);
  if (user.role !== Role.STAFF) throw new ForbiddenError('This needs a STAFF caller');
  if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a dept claim to act for a department');
  return user as StaffUser;
}

function requireOwnDepartment(user: StaffUser, proposal: Proposal): void {
  if (proposal.departmentId !== user.departmentId) {
    throw new ForbiddenError('Only staff of the proposing department may change a proposal');
  }
}

/**
 * Validates a proposal's content: class-validator's checks of the input, then what only the
 * database knows (the category is a child category, districts and co-departments exist,
 * the replaced service is a published one of this department). All faults in one error.
 */
async function validateContent(ctx: Context, input: ProposalInput, departmentId: string): Promise<ProposalContent> {
  const errors: FieldError[] = await fieldErrors(input, 'input');
  const fault = (property: string, constraint: string, message: string) =>
    errors.push({ property, constraints: { [constraint]: message } });
  const failed = (property: string) =>
    errors.some(
      (e) => e.property === property || e.property.startsWith(`${property}.`) || e.property.startsWith(`${property}[`),
    );

  let categoryId = '';
  if (!failed('input.categoryCode')) {
    const category = await categoryByCode(ctx.db, input.categoryCode);
    if (!category) fault('input.categoryCode', 'exists', `category ${input.categoryCode} does not exist`);
    else if (category.parentId === null)
      fault('input.categoryCode', 'childCategory', 'categoryCode must be a second-level category, not a top-level one');
    else categoryId = category.id;
  }

  const eligibility = input.eligibility ?? {};
  const districtCodes = [...new Set(eligibility.districtCodes ?? [])].sort();
  if (!failed('input.eligibility.districtCodes') && districtCodes.length > 0) {
    const found = await ctx.loaders.district.loadMany(districtCodes);
    const unknown = districtCodes.filter((_, i) => !found[i]);
    if (unknown.length > 0)
      fault('input.eligibility.districtCodes', 'exists', `unknown districts: ${unknown.join(', ')}`);
  }
  if (eligibility.minAge != null && eligibility.maxAge != null && eligibility.minAge > eligibility.maxAge) {
    fault('input.eligibility.maxAge', 'min', 'maxAge must not be below minAge');
  }

  const coDepartmentIds = [...new Set((input.coDepartmentIds ?? []).map((id) => id.toLowerCase()))].sort();
  if (!failed('input.coDepartmentIds') && coDepartmentIds.length > 0) {
    const found = await ctx.loaders.department.loadMany(coDepartmentIds);
    const unknown = coDepartmentIds.filter((_, i) => !found[i]);
    if (unknown.length > 0) fault('input.coDepartmentIds', 'exists', `unknown departments: ${unknown.join(', ')}`);
    if (coDepartmentIds.includes(departmentId)) {
      fault(
        'input.coDepartmentIds',
        'notProposingDepartment',
        'the proposing department leads the service and is not a co-department',
      );
    }
  }

  const replacesServiceId = input.replacesServiceId ? input.replacesServiceId.toLowerCase() : null;
  if (replacesServiceId && !failed('input.replacesServiceId')) {
    const service = await ctx.loaders.service.load(replacesServiceId);
    if (!service) fault('input.replacesServiceId', 'exists', 'replacesServiceId is not a service');
    else if (service.status !== ServiceStatus.PUBLISHED)
      fault('input.replacesServiceId', 'published', `the service to replace is ${service.status}`);
    else if (service.departmentId !== departmentId) {
      fault(
        'input.replacesServiceId',
        'ownDepartment',
        'only a service led by the proposing department can be replaced',
      );
    }
  }
  if (input.guide && !failed('input.guide'))
    errors.push(...guideFaults(input.guide, input.channels ?? [], 'input.guide'));
  throwIfAny(errors, 'The proposal is not valid');

  const text = (value: string | null | undefined) => (value != null && !isBlankText(value) ? value : null);
  return {
    title: input.title.trim(),
    titleEn: text(input.titleEn)?.trim() ?? null,
    summary: input.summary.trim(),
    description: text(input.description),
    categoryId,
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter((t) => !isBlankText(t)))],
    coDepartmentIds,
    channels: [...new Set(input.channels)],
    minAge: eligibility.minAge ?? null,
    maxAge: eligibility.maxAge ?? null,
    requiredTags: [...new Set(eligibility.requiredTags ?? [])].sort(),
    districtCodes,
    rationale: text(input.rationale),
    replacesServiceId,
    guideData: input.guide ? guideDataOf(input.guide) : null,
  };
}

/** What an update changed: field → [before, after]. */
function changes(before: Proposal, after: ProposalContent): Record<string, [unknown, unknown]> {
  const changed: Record<string, [unknown, unknown]> = {};
  for (const field of CONTENT_FIELDS) {
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
      changed[field] = [before[field] ?? null, after[field] ?? null];
  }
  return changed;
}

/** A STAFF member's proposal for their department, in DRAFT. */
export async function createProposal(
  ctx: Context,
  input: ProposalInput,
  idempotencyKey?: string | null,
): Promise<Proposal> {
  const user = requireStaffDepartment(ctx, proposalsPolicy.createProposal);
  const key = idempotencyKeyOf(ctx.idempotencyKeyHeader, idempotencyKey);
  const content = await validateContent(ctx, input, user.departmentId);
  return inTransaction(ctx, (tx) =>
    runOnce(tx, {
      key,
      operation: 'createProposal',
      input,
      work: async () => {
        const row = await insertProposal(
          tx.db,
          { id: randomUUID(), departmentId: user.departmentId, createdBy: user.id },
          content,
        );
        const proposal = proposalFromRow(row);
        await recordAudit(tx, {
          action: 'proposal.create',
          targetType: 'proposal',
          targetId: proposal.id,
          details: {
            departmentId: proposal.departmentId,
            title: proposal.title,
            replacesServiceId: proposal.replacesServiceId,
            status: proposal.status,
          },
        });
        return { result: proposal, outcome: { proposalId: proposal.id } };
      },
      // The proposal the first call created, as it is now.
      replay: async ({ proposalId }) => {
        return proposalFromRow((await proposalById(tx.db, proposalId))!);
      },
    }),
  );
}

/** The proposal, locked for the rest of the transaction: concurrent moves queue behind it. */
async function lockProposal(tx: Context, id: string): Promise<Proposal> {
  const row = isUuid(id) ? await lockProposalRow(tx.db, id.toLowerCase()) : undefined;
  if (!row) throw new NotFoundError('Proposal', id, 'id');
  return proposalFromRow(row);
}

/** Where `action` leads from the proposal's state; CONFLICT naming that state when nowhere. */
function requireMove(proposal: Proposal, action: ProposalAction): ProposalStatus {
  const next = nextStatus(proposal.status, action);
  if (next === null)
    throw new ConflictError(illegalMoveMessage(proposal.status, action), { status: proposal.status, action });
  return next;
}

/**
 * Moves the proposal from the state it was read in to `to`, only if it is still in that
 * state (the row is locked too, so this is a second guard, not the only one).
 */
async function moveTo(
  tx: Context,
  proposal: Proposal,
  to: ProposalStatus,
  serviceId: string | null = proposal.serviceId,
): Promise<Proposal> {
  const row = await moveProposal(tx.db, proposal.id, proposal.status, to, serviceId);
  if (!row) throw new ConflictError(`The proposal is no longer ${proposal.status}`, { status: proposal.status });
  return proposalFromRow(row);
}

/** New content for a proposal of the caller's department, while DRAFT or CHANGES_REQUESTED. */
export async function updateProposal(ctx: Context, id: string, input: ProposalInput): Promise<Proposal> {
  const user = requireStaffDepartment(ctx, proposalsPolicy.updateProposal);
  const content = await validateContent(ctx, input, user.departmentId);
  return inTransaction(ctx, async (tx) => {
    const proposal = await lockProposal(tx, id);
    requireOwnDepartment(user, proposal);
    requireMove(proposal, 'UPDATE');
    const row = await updateProposalContent(tx.db, proposal.id, proposal.status, content);
    if (!row) throw new ConflictError(`The proposal is no longer ${proposal.status}`, { status: proposal.status });
    await recordAudit(tx, {
      action: 'proposal.update',
      targetType: 'proposal',
      targetId: proposal.id,
      details: { status: proposal.status, changes: changes(proposal, content) },
    });
    return proposalFromRow(row);
  });
}

/** SUBMIT or WITHDRAW, by staff of the proposing department. */
async function moveByStaff(ctx: Context, id: string, action: 'SUBMIT' | 'WITHDRAW'): Promise<Proposal> {
  const user = requireStaffDepartment(
    ctx,
    action === 'SUBMIT' ? proposalsPolicy.submitProposal : proposalsPolicy.withdrawProposal,
  );
  return inTransaction(ctx, async (tx) => {
    const proposal = await lockProposal(tx, id);
    requireOwnDepartment(user, proposal);
    const to = requireMove(proposal, action);
    if (action === 'SUBMIT' && proposal.replacesServiceId) {
      const serviceStatus = await serviceStatusOf(tx.db, proposal.replacesServiceId);
      if (serviceStatus !== ServiceStatus.PUBLISHED) {
        throw new ConflictError(`The service this proposal replaces is ${serviceStatus ?? 'gone'}`, {
          status: proposal.status,
        });
      }
    }
    const moved = await moveTo(tx, proposal, to);
    await recordAudit(tx, {
      action: auditActionOf(action),
      targetType: 'proposal',
      targetId: proposal.id,
      details: { from: proposal.status, to },
    });
    return moved;
  });
}

export const submitProposal = (ctx: Context, id: string) => moveByStaff(ctx, id, 'SUBMIT');
export const withdrawProposal = (ctx: Context, id: string) => moveByStaff(ctx, id, 'WITHDRAW');

/** The code of a service published from a proposal: P- and the start of the proposal's id. */
export function serviceCodeOf(proposalId: string): string {
  return `P-${proposalId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

/**
 * A reviewer's decision. Separation of duties: a reviewer acts for a department (a token
 * without `dept` is FORBIDDEN), never the proposing one, and is never the proposal's author.
 * APPROVE publishes the service (or its new version) in the same
 * transaction, with a notice to each citizen whose earlier unmet request it meets (notifyNeedsMet); the proposal's row lock makes concurrent decisions queue, and the one that
 * comes second finds the proposal no longer SUBMITTED: CONFLICT.
 */
export async function reviewProposal(
  ctx: Context,
  id: string,
  decision: ReviewDecision,
  comment: string | null | undefined,
): Promise<Proposal> {
  const user = requireRole(ctx, ...proposalsPolicy.reviewProposal);
  if (user.departmentId === null) {
    throw new ForbiddenError(
      'A REVIEWER token needs a dept claim: reviewers act for a department, never on its own proposals',
    );
  }
  const reviewerDepartmentId = user.departmentId;
  const note = comment != null && !isBlankText(comment) ? comment.trim() : null;
  if (note === null && decision !== ReviewDecision.APPROVE) {
    throw BadInputError.field('comment', 'isNotEmpty', `${decision} needs a comment saying why`);
  }
  if (comment != null && comment.length > MAX_TEXT_LENGTH) {
    throw BadInputError.field('comment', 'maxLength', `comment must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  // Read before the transaction: the understander of the catalogue as it stands (kept with its
  // snapshot, so not rebuilt while the proposal's row is locked).
  const topNeed = decision === ReviewDecision.APPROVE ? await needReader(ctx) : () => null;
  const decided = await inTransaction(ctx, async (tx) => {
    const proposal = await lockProposal(tx, id);
    if (reviewerDepartmentId === proposal.departmentId) {
      throw new ForbiddenError('A reviewer may not review a proposal of their own department');
    }
    if (user.id === proposal.createdBy) throw new ForbiddenError('A reviewer may not review their own proposal');
    const to = requireMove(proposal, decision);
    await insertReview(tx.db, {
      id: randomUUID(),
      proposalId: proposal.id,
      reviewerId: user.id,
      reviewerDepartmentId: user.departmentId,
      decision,
      comment: note,
    });
    let service: ServiceOffering | null = null;
    if (decision === ReviewDecision.APPROVE) {
      const content: ServiceContent = { ...proposal, departmentId: proposal.departmentId };
      service = proposal.replacesServiceId
        ? await reviseService(tx, proposal.replacesServiceId, content, proposal.id)
        : await publishService(tx, stableId(`service:proposal:${proposal.id}`), serviceCodeOf(proposal.id), content);
      if (proposal.guideData) await writeGuide(tx, service.id, proposal.guideData);
    }
    const needsMet = service ? await notifyNeedsMet(tx, service, topNeed) : 0;
    const moved = await moveTo(tx, proposal, to, service?.id ?? proposal.serviceId);
    await recordAudit(tx, {
      action: auditActionOf(decision),
      targetType: 'proposal',
      targetId: proposal.id,
      details: {
        from: proposal.status,
        to,
        comment: note,
        ...(service
          ? {
              serviceId: service.id,
              serviceCode: service.code,
              serviceVersion: service.version,
              replaced: proposal.replacesServiceId !== null,
              guideChanged: proposal.guideData !== null,
              needsMet,
            }
          : {}),
      },
    });
    return { proposal: moved, service };
  });
  if (decided.service) {
    forgetCatalogueSnapshot(ctx.dataSource);
    ctx.loaders.service.clear(decided.service.id).prime(decided.service.id, decided.service);
    ctx.loaders.coDepartmentIds.clear(decided.service.id);
    ctx.loaders.serviceGuide.clear(decided.service.id);
    ctx.loaders.serviceVersions.clear(decided.service.id);
  }
  ctx.loaders.proposalReviews.clear(decided.proposal.id);
  return decided.proposal;
}

function canReadAll(user: AuthUser): boolean {
  return (READ_ALL_ROLES as readonly Role[]).includes(user.role);
}

/** STAFF see their department's proposals; REVIEWER, PLANNER, ADMIN see all. Newest first. */
export async function listProposals(
  ctx: Context,
  args: { filter?: ProposalFilter | null; offset: number; limit: number },
): Promise<{ nodes: Proposal[]; hasNextPage: boolean; totalCount: number }> {
  const user = requireRole(ctx, ...proposalsPolicy.proposals);
  const filter = args.filter ?? {};
  let departmentId = filter.departmentId?.toLowerCase() ?? null;
  if (!canReadAll(user)) {
    const staff = requireStaffDepartment(ctx, proposalsPolicy.proposals);
    if (departmentId && departmentId !== staff.departmentId) {
      throw new ForbiddenError('STAFF see only the proposals of their own department');
    }
    departmentId = staff.departmentId;
  }
  const criteria = { departmentId, status: filter.status ?? null };
  const rows = await proposalsPage(ctx.db, criteria, args.offset, args.limit);
  const count = await countProposals(ctx.db, criteria);
  return {
    nodes: rows.slice(0, args.limit).map(proposalFromRow),
    hasNextPage: rows.length > args.limit,
    totalCount: count,
  };
}

/** One proposal as the caller may see it; null when it does not exist or is not theirs to see. */
export async function findVisibleProposal(ctx: Context, id: string): Promise<Proposal | null> {
  const user = requireRole(ctx, ...proposalsPolicy.proposal);
  const staff = canReadAll(user) ? null : requireStaffDepartment(ctx, proposalsPolicy.proposal);
  if (!isUuid(id)) return null;
  const row = await proposalById(ctx.db, id.toLowerCase());
  if (!row) return null;
  const proposal = proposalFromRow(row);
  if (staff && proposal.departmentId !== staff.departmentId) return null;
  return proposal;
}

const similarityIndexes = new WeakMap<CatalogueSnapshot, SimilarityIndex>();

/** The similarity index of a catalogue snapshot, built once per snapshot. */
function similarityIndexOf(snapshot: CatalogueSnapshot): SimilarityIndex {
  let index = similarityIndexes.get(snapshot);
  if (!index) {
    index = new SimilarityIndex([...snapshot.services.values()]);
    similarityIndexes.set(snapshot, index);
  }
  return index;
}

/** The need a text is about, as the catalogue's request understander reads it (serviceNeedOf). */
async function needReader(ctx: Context): Promise<TopNeed> {
  const understander = catalogueIndexOf(await catalogueSnapshot(ctx.dataSource, ctx.db)).understander();
  return (text) => understander.topNeed(text);
}

/**
 * Published services that overlap with the proposal, most similar first (see similarity.ts);
 * the service it replaces and the one it published are left out.
 */
export async function similarServices(ctx: Context, proposal: Proposal): Promise<SimilarService[]> {
  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const category = await ctx.loaders.category.load(proposal.categoryId);
  const exclude = new Set([proposal.replacesServiceId, proposal.serviceId].filter((id): id is string => id !== null));
  const similar = similarityIndexOf(snapshot).similarTo(
    { ...proposal, parentCategoryId: category?.parentId ?? null },
    { exclude },
  );
  const services = await ctx.loaders.service.loadMany(similar.map((s) => s.serviceId));
  return similar.flatMap((s, i) => {
    const service = services[i];
    return service ? [{ service, similarity: s.similarity }] : [];
  });
}

/**
 * Recent unmet requests the proposal would meet, as its publication would judge them
 * (NeedMetCheck: the citizens told that a new service meets their need): each unmet request of
 * the last 90 days (the newest MAX_EVIDENCE_REQUESTS, segmented once per GraphQL request) that
 * shares a word with the proposal is matched against a one-document text matcher of the
 * proposal, with the district the request came from; it is met when it scores at least the
 * threshold below which a request counts as unmet, or when its recognised need is one the
 * proposing department is responsible for and it reaches the request matcher's lexical floor,
 * or when its need is the one the proposal is about (serviceNeedOf). Samples carry no citizen identifiers.
 */
export async function demandEvidence(ctx: Context, proposal: Proposal): Promise<DemandEvidence> {
  const requests = await ctx.loaders.recentUnmetRequests.load(DEMAND_WINDOW_DAYS);
  const category = await ctx.loaders.category.load(proposal.categoryId);
  const parent = category?.parentId ? await ctx.loaders.category.load(category.parentId) : undefined;
  const departmentNeeds = await needsOfDepartment(ctx, proposal.departmentId);
  // The proposal's own need is read (by the catalogue's understander) only when some request
  // is about a need of the department: it can matter for no other.
  const aboutDepartment = requests.some((r) => r.needCode !== null && departmentNeeds.has(r.needCode));
  const check = new NeedMetCheck(
    {
      id: proposal.id,
      title: proposal.title,
      titleEn: proposal.titleEn,
      tags: proposal.tags,
      summary: proposal.summary,
      description: proposal.description,
      categoryCodes: [category?.code, parent?.code].filter((code): code is string => code !== undefined),
      districtCodes: proposal.districtCodes,
    },
    departmentNeeds,
    aboutDepartment ? serviceNeedOf(proposal, departmentNeeds, await needReader(ctx)) : null,
  );
  // Only requests about the proposal's need or sharing a word with it can be met (bar typos
  // of every shared word); the matcher, with its typo correction, runs on those alone.
  const vocabulary = new Set(
    tokenize(
      `${proposal.title} ${proposal.titleEn ?? ''} ${proposal.tags.join(' ')} ${proposal.summary} ${proposal.description ?? ''}`,
    ),
  );
  const candidates = requests.filter((r) => check.isAbout(r) || [...r.words].some((word) => vocabulary.has(word)));
  const met = candidates.filter((r) => check.meets(r));
  const samples = [...new Set(met.map((r) => redactPersonalData(r.text).trim()))].slice(0, MAX_SAMPLES);
  return { requestCount: met.length, citizenCount: new Set(met.map((r) => r.citizenId)).size, sampleRequests: samples };
}

import type { Context } from '../../core/context';
import type { ServiceOffering } from '../catalogue/service.entity';
import { seededNeedsModel, type Need } from '../needs/needs-data';
import { NEED_MET_KIND, notify } from '../notifications/notifications.service';
import { NeedMetCheck } from './need-met';
import { markRequestsMet, needMetCandidates } from './requests.queries';

/** Unmet requests read per publication at most (the newest first): a bound on the work done in its transaction. */
export const NEED_MET_CANDIDATES = 20_000;

/**
 * "A new service meets a need you asked about": on publication, in the publishing
 * transaction, every unmet request of the last `config.needMetWindowDays` days (newest first,
 * at most NEED_MET_CANDIDATES) that the new service meets (NeedMetCheck) and that was never
 * told so gets one notification for its citizen and is no longer unmet (unmetDemand, demand
 * evidence); the unique index on need-met notices per request makes "once per request" hold
 * also for concurrent publications. Returns how many citizens' requests were notified.
 */
export async function notifyNeedsMet(tx: Context, service: ServiceOffering, topNeed: TopNeed): Promise<number> {
  const candidates = await needMetCandidates(tx.db, tx.config.needMetWindowDays, NEED_MET_KIND, NEED_MET_CANDIDATES);
  if (candidates.length === 0) return 0;
  const departmentNeeds = await needsOfDepartment(tx, service.departmentId);
  const check = new NeedMetCheck(
    { ...service, categoryCodes: [] },
    departmentNeeds,
    serviceNeedOf(service, departmentNeeds, topNeed),
  );
  const met = candidates.filter((request) => check.meets(request));
  await markRequestsMet(
    tx.db,
    met.map((request) => request.id),
  );
  return notify(
    tx.db,
    met.map((request) => ({
      citizenId: request.citizenId,
      kind: NEED_MET_KIND,
      requestId: request.id,
      serviceId: service.id,
      message: `您${cityDate(request.receivedAt)}提出的诉求，现在有服务可以办理了：「${service.title}」`,
    })),
  );
}

/** The needs (codes) a department is responsible for in the needs model. */
export async function needsOfDepartment(ctx: Context, departmentId: string): Promise<Set<string>> {
  const code = (await ctx.loaders.department.load(departmentId))?.code;
  if (code === undefined) return new Set();
  return new Set(
    seededNeedsModel()
      .needs.filter((need) => need.departments.includes(code))
      .map((need) => need.code),
  );
}

/** The need a text expresses most surely, or null (the catalogue's request understander: RequestUnderstander.topNeed). */
export type TopNeed = (text: string) => Need | null;

/**
 * The need a service is about: the need recognised in its title, tags and summary, when its
 * department is responsible for it; null otherwise.
 */
export function serviceNeedOf(
  service: { title: string; tags: readonly string[]; summary: string },
  departmentNeeds: ReadonlySet<string>,
  topNeed: TopNeed,
): string | null {
  const need = topNeed(`${service.title} ${service.tags.join(' ')} ${service.summary}`);
  return need && departmentNeeds.has(need.code) ? need.code : null;
}

/** 2026年3月5日, in city time (Asia/Shanghai). */
function cityDate(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

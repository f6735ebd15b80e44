import type { EntityManager } from 'typeorm';
import {
  insertCases,
  setOfferedServices,
  signalFactsForCases,
  type NewCase,
  type SignalFacts,
} from './requests.queries';
import { caseDeadlines, routeCase, serviceLevelFor, serviceLevels } from './routing';

/**
 * Opens a case for each REQUEST and COMPLAINT signal among `signalIds`, in the caller's
 * transaction (the one that inserted the signals): a met request is RESOLVED by the
 * services offered; an unmet request or a complaint is OPEN, routed, with its deadlines.
 */
export async function openCasesForSignals(db: EntityManager, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  await openCases(db, await signalFactsForCases(db, signalIds, serviceLevels.defaultDepartment));
}

/** The department whose code routing falls back to (caseFactsOf reads its id). */
export const DEFAULT_DEPARTMENT_CODE = serviceLevels.defaultDepartment;

/** What a department is told of a case routed to it. */
export const ROUTED_NOTICE = { kind: 'request.routed', message: '收到一件新的诉求，请在期限内签收' };

/**
 * Opens the cases of signals whose routing facts were read already (caseFactsOf, in the
 * statement that inserted them), in the caller's transaction.
 */
export async function openCases(db: EntityManager, facts: readonly SignalFacts[]): Promise<void> {
  if (facts.length === 0) return;
  const rows = facts.map((f): NewCase => {
    const unmet = f.kind === 'COMPLAINT' || f.unmet !== false;
    const departmentId = routeCase({ ...f, unmet }, f.defaultDepartmentId);
    const due = unmet
      ? caseDeadlines(new Date(f.openedAt), serviceLevelFor([f.categoryCode, f.parentCategoryCode]))
      : null;
    return {
      id: f.id,
      receivedAt: f.receivedAt,
      citizenId: f.citizenId,
      kind: f.kind,
      serviceId: f.serviceId,
      districtCode: f.districtCode,
      status: unmet ? 'OPEN' : 'RESOLVED',
      departmentId,
      due,
    };
  });
  await insertCases(db, rows, ROUTED_NOTICE);
}

/** The services a request was answered with, kept for the citizen's list. */
export async function recordOfferedServices(db: EntityManager, signalId: string, serviceIds: string[]): Promise<void> {
  await setOfferedServices(db, signalId, serviceIds);
}

import type { EntityManager } from 'typeorm';
import {
  DEFAULT_LEARNING,
  indexAssociations,
  learnAssociations,
  type AssociationIndex,
  type LearningOptions,
} from './learned-associations';
import { readVisitEvidence, replaceAssociations, storedAssociations } from './learned-associations.queries';

export interface LearningRun extends LearningOptions {
  /** How long after a request a view or use of a service still belongs to the same visit. */
  windowMinutes: number;
  /** How far back requests are read. */
  lookbackDays: number;
}

export const DEFAULT_LEARNING_RUN: LearningRun = { ...DEFAULT_LEARNING, windowMinutes: 30, lookbackDays: 180 };

/** Learns the associations again from the evidence and replaces the table's rows, in the caller's transaction. */
export async function relearnAssociations(
  tx: EntityManager,
  run: LearningRun = DEFAULT_LEARNING_RUN,
  now = new Date(),
): Promise<number> {
  if (run.minCitizens < DEFAULT_LEARNING.minCitizens) {
    throw new Error(`learning needs at least ${DEFAULT_LEARNING.minCitizens} citizens per association`);
  }
  const evidence = await readVisitEvidence(tx, run.windowMinutes, run.lookbackDays, now);
  const learned = learnAssociations(evidence, run);
  await replaceAssociations(tx, learned);
  learnedGeneration++;
  return learned.length;
}

/** Counts relearnings in this process: matching reads the associations again after one. */
let learnedGeneration = 0;

/** The stored associations, indexed for learnedServiceScores. */
export async function loadAssociations(db: EntityManager): Promise<AssociationIndex> {
  return indexAssociations(await storedAssociations(db));
}

/** How long matching reuses the stored associations before reading them again (the job refreshes them in minutes). */
export const ASSOCIATIONS_TTL_MS = 60_000;
const associationCache = new WeakMap<
  object,
  { readAt: number; generation: number; index: Promise<AssociationIndex> }
>();

/**
 * The stored associations for matching, read at most once per ASSOCIATIONS_TTL_MS per database
 * (keyed by its data source), and again at once after this process relearned them; concurrent
 * callers share one read.
 */
export function cachedAssociations(dataSource: object, db: EntityManager, now = Date.now()): Promise<AssociationIndex> {
  const cached = associationCache.get(dataSource);
  if (cached && cached.generation === learnedGeneration && now - cached.readAt < ASSOCIATIONS_TTL_MS)
    return cached.index;
  const index = loadAssociations(db);
  associationCache.set(dataSource, { readAt: now, generation: learnedGeneration, index });
  index.catch(() => associationCache.delete(dataSource));
  return index;
}

import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DEFAULT_LEARNING_RUN, relearnAssociations, type LearningRun } from './learned-associations.service';

/** Advisory lock key of the learning: one process at a time does it. */
const LOCK_KEY = 0x6d73_6c61; // "msla"

/** Learns the associations now, unless another process is doing it; the number stored, or null. */
export async function learnAssociationsOnce(
  dataSource: DataSource,
  run: LearningRun = DEFAULT_LEARNING_RUN,
): Promise<number | null> {
  return dataSource.transaction(async (manager) => {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK_KEY]);
    if (!locked) return null;
    return relearnAssociations(manager, run);
  });
}

/** Learns again every `minutes`; returns a stop function that waits for a run in progress. */
export function scheduleAssociationLearning(
  dataSource: DataSource,
  logger: Logger,
  minutes: number,
  run: LearningRun = DEFAULT_LEARNING_RUN,
): () => Promise<void> {
  if (minutes <= 0) return async () => {};
  let current: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (current) return;
    const started = Date.now();
    current = learnAssociationsOnce(dataSource, run)
      .then((stored) => {
        if (stored === null) return;
        logger.info({ associations: stored, ms: Date.now() - started }, 'learned request associations');
      })
      .catch((error) => logger.error({ err: error }, 'learning request associations failed'))
      .finally(() => (current = null));
  }, minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}

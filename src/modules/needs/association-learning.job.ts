import type { DataSource } from 'typeorm';
import { runJobOnce, type ScheduledJob } from '../../core/jobs';
import { DEFAULT_LEARNING_RUN, relearnAssociations, type LearningRun } from './learned-associations.service';

/** Learns the request associations again; one process at a time (its advisory lock, "msla"). */
export function associationLearningJob(run: LearningRun = DEFAULT_LEARNING_RUN): ScheduledJob<number> {
  return {
    name: 'association-learning',
    lockKey: 0x6d73_6c61,
    run: ({ manager }) => relearnAssociations(manager, run),
    done: { message: 'learned request associations', fields: (associations) => ({ associations }) },
    failure: { message: 'learning request associations failed' },
  };
}

/** Learns the associations now, unless another process is doing it; the number stored, or null. */
export function learnAssociationsOnce(
  dataSource: DataSource,
  run: LearningRun = DEFAULT_LEARNING_RUN,
): Promise<number | null> {
  return runJobOnce(associationLearningJob(run), dataSource);
}

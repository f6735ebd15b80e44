import { defineModule } from '../../core/module';
import { SignalResolver } from './signal.resolver';
import { DemandSignalResolver } from './demand-signal.resolver';
import { SignalRow } from './signal.entity';
import { ServiceActivityDaily } from './service-activity.entity';
import { startRollupWorker } from './rollup-worker';
import { startJob } from '../../core/jobs';
import { signalPartitionsJob } from './signal-partitions';

/** The signals module: what it declares of itself (composed in src/modules/index.ts). */
export const signalsModule = defineModule({
  name: 'signals',
  entities: [SignalRow, ServiceActivityDaily],
  resolvers: [SignalResolver, DemandSignalResolver],
  jobs: [
    {
      // Keeps the derived tables of the signal log (docs/analytics.md, "The rollup worker").
      name: 'rollup-worker',
      start: ({ config, dataSource, logger }) =>
        config.rollupWorkerMs > 0
          ? startRollupWorker(dataSource, logger, config.rollupWorkerMs, { maxLagMs: config.rollupWorkerMaxLagMs })
          : null,
    },
    {
      // Creates the signal log's month partitions ahead (docs/scaling.md, "The signal log by month").
      name: 'signal-partitions',
      start: ({ config, dataSource, logger }) =>
        config.signalPartitionsHours > 0
          ? startJob(
              signalPartitionsJob,
              { intervalMs: config.signalPartitionsHours * 3_600_000, firstRunMs: 10_000 },
              { dataSource, logger },
            )
          : null,
    },
  ],
});

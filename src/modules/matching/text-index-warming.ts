import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RunningJob } from '../../core/module';
import { catalogueSnapshot, type CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { searchSpellingOf } from '../catalogue/search-spelling';
import { catalogueIndexOf } from './catalogue-index';

const JOB = 'text-index-warm';

/**
 * Builds the text index, the request understanding and the search spelling of the catalogue as
 * it is now, right after the server starts and then whenever the published catalogue has changed
 * (checked every `intervalMs`), so that the first free-text request or misspelt search after a
 * start or a publication does not wait the seconds the build takes (it reads every service's
 * text and jieba's dictionary).
 */
export function startTextIndexWarming(dataSource: DataSource, logger: Logger, intervalMs: number): RunningJob {
  const warmed = new WeakSet<CatalogueSnapshot>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const warm = async (): Promise<void> => {
    try {
      const snapshot = await catalogueSnapshot(dataSource, dataSource.manager);
      if (stopped || warmed.has(snapshot)) return;
      const started = Date.now();
      catalogueIndexOf(snapshot).understander();
      searchSpellingOf(snapshot);
      warmed.add(snapshot);
      logger.info(
        { job: JOB, version: snapshot.version, services: snapshot.services.size, ms: Date.now() - started },
        'built the catalogue text index',
      );
    } catch (error) {
      // The database is away: the requests that need the index will say so; try again later.
      logger.debug({ job: JOB, err: error }, 'catalogue text index not built');
    }
  };

  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      running = warm().finally(() => {
        if (!stopped) schedule(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { startJob, type ScheduledJob } from '../../core/jobs';
import type { RunningJob } from '../../core/module';
import { liveNotificationsOf, type LiveNotifications } from './live-notifications';
import { loadLiveNotifications } from './notifications.queries';
import { dispatchOutbox, OUTBOX_BATCH, pruneDeliveredNotifications } from './outbox.dispatcher';
import { sendDueWebhooks, WEBHOOK_BATCH } from './webhooks.sender';

/** How often the delivery job prunes old outbox rows and delivery logs. */
export const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * One delivery round: a dispatch of the outbox (under the dispatcher's advisory lock) and a
 * webhook round; every PRUNE_EVERY_MS (and in the first round) a prune of what is older than
 * `config.notificationRetentionDays`. Its result: whether a batch was full (more is waiting).
 */
function notificationDeliveryJob(
  dataSource: DataSource,
  config: Config,
  live: LiveNotifications,
  announce: boolean,
): ScheduledJob<boolean> {
  const settings = {
    retryBaseMs: config.webhookRetryBaseMs,
    maxAttempts: config.webhookMaxAttempts,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateAddresses: config.webhookAllowPrivateAddresses,
  };
  let prunedAt = 0;
  return {
    name: 'notification-delivery',
    run: async () => {
      if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await pruneDeliveredNotifications(
          dataSource,
          new Date(prunedAt - config.notificationRetentionDays * 86_400_000),
        );
      }
      const dispatch = await dispatchOutbox(dataSource, announce);
      for (const notification of dispatch.live) live.publish(notification);
      const sent = await sendDueWebhooks(dataSource, settings);
      return dispatch.dispatched === OUTBOX_BATCH || sent === WEBHOOK_BATCH;
    },
    more: (full) => full,
    failure: { message: 'notification delivery round failed; retrying on the next one', level: 'warn' },
  };
}

/**
 * Delivers notifications from the outbox: a round every `config.outboxPollMs` (0: none), at once
 * again after a full batch. On PostgreSQL the process also LISTENs for the dispatches of every
 * process, so its subscribers hear of all notifications whoever dispatched them.
 */
export function startNotificationDelivery(dataSource: DataSource, config: Config, logger: Logger): RunningJob {
  const live = liveNotificationsOf(dataSource);
  const announce = config.databaseUrl !== undefined;
  if (announce) void live.listen(config.databaseUrl!, (ids) => loadLiveNotifications(dataSource.manager, ids), logger);
  if (config.outboxPollMs === 0) return { stop: () => live.close() };
  const rounds = startJob(
    notificationDeliveryJob(dataSource, config, live, announce),
    { intervalMs: config.outboxPollMs },
    { dataSource, logger },
  );
  return {
    async stop() {
      await rounds.stop();
      await live.close();
    },
  };
}

import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { liveNotificationsOf } from './live-notifications';
import { dispatchOutbox, loadLiveNotifications, OUTBOX_BATCH, pruneDeliveredNotifications } from './outbox.dispatcher';
import { sendDueWebhooks, WEBHOOK_BATCH } from './webhooks.sender';

/** How often the delivery job prunes old outbox rows and delivery logs. */
export const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Delivers notifications from the outbox: every `config.outboxPollMs` (at once again after a
 * full batch) a dispatch round and a webhook round. On PostgreSQL the process also LISTENs for
 * the dispatches of every process, so its subscribers hear of all notifications whoever
 * dispatched them. Every PRUNE_EVERY_MS (and in the first round) it also prunes what is older
 * than `config.notificationRetentionDays`. Returns a stop function that waits for the round in progress.
 */
export function scheduleNotificationDelivery(
  dataSource: DataSource,
  config: Config,
  logger: Logger,
): () => Promise<void> {
  const live = liveNotificationsOf(dataSource);
  const announce = config.databaseUrl !== undefined;
  if (announce) void live.listen(config.databaseUrl!, (ids) => loadLiveNotifications(dataSource.manager, ids), logger);
  if (config.outboxPollMs === 0) return () => live.close();
  const settings = {
    retryBaseMs: config.webhookRetryBaseMs,
    maxAttempts: config.webhookMaxAttempts,
    timeoutMs: config.webhookTimeoutMs,
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let prunedAt = 0;

  const round = async (): Promise<boolean> => {
    if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      await pruneDeliveredNotifications(dataSource, new Date(prunedAt - config.notificationRetentionDays * 86_400_000));
    }
    const dispatch = await dispatchOutbox(dataSource, announce);
    for (const notification of dispatch.live) live.publish(notification);
    const sent = await sendDueWebhooks(dataSource, settings);
    return dispatch.dispatched === OUTBOX_BATCH || sent === WEBHOOK_BATCH;
  };
  const tick = () => {
    running = round()
      .catch((error) => {
        logger.warn({ err: error }, 'notification delivery round failed; retrying on the next one');
        return false;
      })
      .then((more) => {
        if (!stopped) timer = setTimeout(tick, more ? 0 : config.outboxPollMs);
      });
  };
  timer = setTimeout(tick, config.outboxPollMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await live.close();
  };
}

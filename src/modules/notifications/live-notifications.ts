import { EventEmitter, on } from 'node:events';
import type { Logger } from 'pino';
import { Client } from 'pg';

/** A notification as the subscription delivers it. */
export interface LiveNotification {
  id: string;
  citizenId: string | null;
  departmentId: string | null;
  kind: string;
  requestId: string | null;
  serviceId: string | null;
  ratingId: string | null;
  message: string;
  createdAt: Date;
  readAt: Date | null;
}

/** The channel of a recipient: a citizen's or a department's notifications, never both. */
export const recipientChannel = (n: { citizenId: string | null; departmentId: string | null }): string =>
  n.citizenId ? `citizen:${n.citizenId}` : `department:${n.departmentId}`;

/** PostgreSQL channel on which dispatchers announce the outbox rows they dispatched. */
export const PG_CHANNEL = 'minsheng_notifications';

/**
 * The notifications of this process's subscribers, by recipient channel. The dispatcher
 * publishes what it dispatched; on PostgreSQL it announces it with NOTIFY instead, and every
 * process (its own too) hears it through one LISTEN connection and publishes to its own
 * subscribers (the embedded database serves one process: it publishes directly).
 */
export class LiveNotifications {
  private readonly emitter = new EventEmitter();
  private listener: Client | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(notification: LiveNotification): void {
    this.emitter.emit(recipientChannel(notification), notification);
  }

  /** The recipient's notifications from now on, until the iterator is returned (the subscription ends). */
  subscribe(channel: string): AsyncIterableIterator<LiveNotification> {
    const events = on(this.emitter, channel) as AsyncIterableIterator<[LiveNotification]>;
    const next = async (): Promise<IteratorResult<LiveNotification>> => {
      const result = await events.next();
      return result.done ? { done: true, value: undefined } : { done: false, value: result.value[0] };
    };
    const iterator: AsyncIterableIterator<LiveNotification> = {
      next,
      return: async () => {
        await events.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Subscribers listening now (for tests and metrics). */
  subscriberCount(): number {
    return this.emitter.eventNames().reduce((sum, name) => sum + this.emitter.listenerCount(name), 0);
  }

  /**
   * LISTENs on PostgreSQL; `load` turns announced outbox ids into notifications. A lost or
   * refused connection is retried every second until close().
   */
  async listen(
    databaseUrl: string,
    load: (outboxIds: string[]) => Promise<LiveNotification[]>,
    logger: Logger,
  ): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: databaseUrl });
    this.listener = client;
    const retry = (error: unknown) => {
      if (this.listener !== client) return;
      logger.warn({ err: error }, 'live notifications: LISTEN connection lost; retrying');
      this.listener = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen(databaseUrl, load, logger), 1000).unref();
    };
    client.on('notification', (message) => {
      if (message.channel !== PG_CHANNEL || !message.payload) return;
      load(message.payload.split(','))
        .then((notifications) => notifications.forEach((n) => this.publish(n)))
        .catch((error) => logger.warn({ err: error }, 'live notifications: could not read announced notifications'));
    });
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
    } catch (error) {
      retry(error);
    }
  }

  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listener;
    this.listener = null;
    this.emitter.removeAllListeners();
    await client?.end().catch(() => undefined);
  }
}

const byDataSource = new WeakMap<object, LiveNotifications>();

/** The live notifications of a data source (one per server in a process). */
export function liveNotificationsOf(dataSource: object): LiveNotifications {
  let live = byDataSource.get(dataSource);
  if (!live) byDataSource.set(dataSource, (live = new LiveNotifications()));
  return live;
}

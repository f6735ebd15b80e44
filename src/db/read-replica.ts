import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from './data-source';

export interface ReadReplicaOptions {
  /** The streaming replica (DATABASE_READ_URL). */
  url: string;
  primary: DataSource;
  poolSize: number;
  logger: Logger;
  connectTimeoutMs: number;
  statementTimeoutMs?: number;
  /** Seconds between checks of the replica: reachable, and how far behind the primary. */
  probeSeconds: number;
  /** A replica further behind than this is not read until it has caught up. */
  maxLagSeconds: number;
}

/** Why reads are not on the replica, when they are not. */
export type FallbackReason = 'unreachable' | 'lagging';

export interface ReplicaStatus {
  inUse: boolean;
  /** Seconds behind the primary at the last check (null before a successful check). */
  lagSeconds: number | null;
  /** Times reads moved to the primary, by reason, since the process started. */
  fallbacks: Record<FallbackReason, number>;
}

type Obtain = () => Promise<[PoolClient, (error?: unknown) => void]>;

interface PostgresDriverInternals {
  obtainMasterConnection: Obtain;
  master?: { on(event: 'error', listener: (error: Error) => void): void };
}

/**
 * Seconds the replica is behind: 0 when it has replayed all it received (nothing is
 * waiting), else the age of the last transaction it replayed. A server that is not a standby
 * is never behind.
 */
const LAG_SQL = `SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
  ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag`;

/**
 * The read replica: reads that may be a little stale (catalogue, analytics, reports) go
 * through `manager()`, the replica's while it answers and is at most `maxLagSeconds` behind,
 * else the primary's. A connection the replica refuses is taken from the primary instead
 * (the read still succeeds); each move to the primary and back is logged once, and counted.
 */
export class ReadReplica {
  private replica: DataSource | null = null;
  /** A connection of the replica's own pool, never diverted to the primary (for the checks). */
  private replicaConnection: Obtain | null = null;
  private state: 'in-use' | FallbackReason = 'unreachable';
  private lagSeconds: number | null = null;
  private readonly fallbacks: Record<FallbackReason, number> = { unreachable: 0, lagging: 0 };
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private closed = false;

  private constructor(private readonly options: ReadReplicaOptions) {}

  /** Connects (a replica that is away at start is read from once it answers) and starts the checks. */
  static async open(options: ReadReplicaOptions): Promise<ReadReplica> {
    const replica = new ReadReplica(options);
    await replica.probe();
    if (replica.state !== 'in-use')
      options.logger.warn({ reason: replica.state }, 'read replica not in use at start: reads go to the primary');
    replica.schedule();
    return replica;
  }

  /** The manager of reads that may lag behind the primary by at most `maxLagSeconds`. */
  manager(): EntityManager {
    return this.state === 'in-use' && this.replica ? this.replica.manager : this.options.primary.manager;
  }

  /**
   * How long after a caller's write its reads stay on the primary: the most the replica may
   * lag, plus the time between two checks of that lag.
   */
  get readYourWritesMs(): number {
    return (this.options.maxLagSeconds + this.options.probeSeconds) * 1000;
  }

  status(): ReplicaStatus {
    return { inUse: this.state === 'in-use', lagSeconds: this.lagSeconds, fallbacks: { ...this.fallbacks } };
  }

  /** Checks the replica now (also run every `probeSeconds`). */
  probe(): Promise<void> {
    this.probing ??= this.check().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.probing;
    if (this.replica?.isInitialized) await this.replica.destroy();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.probe().then(() => this.schedule());
    }, this.options.probeSeconds * 1000);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    try {
      const [client, release] = await (await this.connected())();
      let lag: number;
      try {
        lag = (await client.query<{ lag: number }>(LAG_SQL)).rows[0].lag;
        release();
      } catch (error) {
        release(error);
        throw error;
      }
      this.lagSeconds = lag;
      if (lag > this.options.maxLagSeconds) this.fallBack('lagging', null);
      else this.restore();
    } catch (error) {
      this.fallBack('unreachable', error);
    }
  }

  private async connected(): Promise<Obtain> {
    if (this.replica?.isInitialized && this.replicaConnection) return this.replicaConnection;
    const replica = createDataSource({
      url: this.options.url,
      poolSize: this.options.poolSize,
      applicationName: 'minsheng-read',
      connectTimeoutMs: this.options.connectTimeoutMs,
      statementTimeoutMs: this.options.statementTimeoutMs,
    });
    await replica.initialize();
    if (this.closed) {
      await replica.destroy();
      throw new Error('closed');
    }
    this.replicaConnection = this.divertRefusedConnections(replica);
    this.replica = replica;
    return this.replicaConnection;
  }

  /**
   * A connection the replica cannot give (it went away since the last check) is taken from
   * the primary's pool instead, so that the read it was for still succeeds; a pooled
   * replica connection that fails marks the replica unreachable until a check finds it back.
   */
  private divertRefusedConnections(replica: DataSource): Obtain {
    const driver = replica.driver as unknown as PostgresDriverInternals;
    const primary = this.options.primary.driver as unknown as PostgresDriverInternals;
    const fromReplica = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = async () => {
      if (this.state === 'in-use') {
        try {
          return await fromReplica();
        } catch (error) {
          this.fallBack('unreachable', error);
        }
      }
      return primary.obtainMasterConnection();
    };
    driver.master?.on('error', (error) => this.fallBack('unreachable', error));
    return fromReplica;
  }

  private fallBack(reason: FallbackReason, error: unknown): void {
    if (this.closed || this.state === reason) return;
    const wasInUse = this.state === 'in-use';
    this.state = reason;
    if (!wasInUse) return;
    this.fallbacks[reason] += 1;
    this.options.logger.warn(
      { reason, lagSeconds: this.lagSeconds, maxLagSeconds: this.options.maxLagSeconds, err: error ?? undefined },
      'read replica out of use: reads go to the primary',
    );
  }

  private restore(): void {
    if (this.state === 'in-use') return;
    this.state = 'in-use';
    this.options.logger.info({ lagSeconds: this.lagSeconds }, 'read replica in use');
  }
}

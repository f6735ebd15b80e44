import type { DataSource, EntityManager } from 'typeorm';
import type { ReadReplica } from './read-replica';

/** Callers tracked at most; past it the oldest are forgotten (their window has mostly run). */
const MAX_TRACKED_WRITERS = 100_000;

/**
 * Which database a request's lag-tolerant reads (catalogue, analytics, reports) go to: the
 * replica, except for a caller who wrote within the replica's read-your-writes window (their
 * reads stay on the primary until the replica is sure to hold their write). A caller's own
 * data (profile, history, requests, votes) is never read from the replica at all.
 * Writers are tracked per process.
 */
export class ReadRouting {
  /** Caller id → until when (ms) their reads stay on the primary, oldest first. */
  private readonly writers = new Map<string, number>();

  constructor(
    private readonly primary: DataSource,
    readonly replica: ReadReplica | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** The manager for a request of `callerId` (null: anonymous) of reads that may lag. */
  readManager(callerId: string | null): EntityManager {
    if (!this.replica) return this.primary.manager;
    if (callerId !== null && this.wroteRecently(callerId)) return this.primary.manager;
    return this.replica.manager();
  }

  /** `callerId` is writing now: keep their reads on the primary for the window. */
  noteWrite(callerId: string): void {
    if (!this.replica) return;
    const now = this.now();
    this.writers.delete(callerId);
    this.writers.set(callerId, now + this.replica.readYourWritesMs);
    for (const [id, until] of this.writers) {
      if (until > now && this.writers.size <= MAX_TRACKED_WRITERS) break;
      this.writers.delete(id);
    }
  }

  wroteRecently(callerId: string): boolean {
    const until = this.writers.get(callerId);
    return until !== undefined && until > this.now();
  }
}

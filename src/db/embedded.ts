import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDirectory } from './data-dir-lock';

/**
 * Run on every new connection to the embedded database. PGlite is one session shared by every
 * socket: a connection that `pg` replaces (idle timeout, connection error) leaves its named
 * prepared statements, settings and session advisory locks behind, and the next connection's
 * first named statement fails with "prepared statement … already exists". pglite-socket, when
 * a socket closes, drops that socket's queued messages and rolls back a transaction it left
 * open (and runs no other socket's messages while one is open), but resets nothing else.
 */
export const EMBEDDED_SESSION_RESET = 'DISCARD ALL';

export interface EmbeddedPostgres {
  /** A postgres:// URL the ordinary `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite on `dataDir` (or in memory when null) and serves it on a loopback port.
 * PGlite is a single session, so callers must use a pool of one connection; the socket
 * server accepts a few more connections than that because `pg` reconnects after a query
 * error before the old socket has been released.
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One process per data directory: a second copy of PGlite on the same files loses writes.
  const unlock = dataDir ? lockDataDirectory(dataDir) : () => undefined;
  let db: PGlite | undefined;
  try {
    db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    const opened = db;
    return {
      url,
      async stop() {
        try {
          await server.stop();
          await opened.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}

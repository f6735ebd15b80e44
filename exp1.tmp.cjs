const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
const { Pool } = require('pg');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function main() {
  const db = new PGlite(); await db.waitReady;
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 }); await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  const reset = process.argv[2];
  const pool = new Pool({ connectionString: url, max: 1, idleTimeoutMillis: 200,
    ...(reset ? { onConnect: async (c) => { await c.query(reset); } } : {}) });
  const q = () => pool.query({ name: 'p1', text: 'SELECT $1::int AS x', values: [1] }).then((r) => r.rows, (err) => 'ERR ' + err.message);
  console.log(await q()); await sleep(500); console.log('after idle', await q());
  const c = await pool.connect(); await c.query('BEGIN'); await c.query('CREATE TABLE t(x int)');
  await c.query({ name: 'p2', text: 'SELECT 2' });
  c.release(new Error('dead'));
  console.log('after dead', await q(), await pool.query("SELECT to_regclass('t') AS t").then(r=>r.rows, e=>'ERR '+e.message));
  console.log(await pool.query({ name: 'p2', text: 'SELECT 2' }).then(r=>r.rows, e=>'ERR '+e.message));
  const d = await pool.connect(); await d.query('BEGIN'); await d.query('SELECT 1/0').catch(() => 0);
  d.release(new Error('dead'));
  console.log('after dead failed tx', await q());
  const s = await pool.connect(); await s.query("SET application_name = 'zzz'"); await s.query("SELECT pg_advisory_lock(7)"); s.release(new Error('dead'));
  console.log('settings', await pool.query("SELECT current_setting('application_name') a, (SELECT count(*) FROM pg_locks WHERE locktype='advisory') l").then(r=>r.rows, e=>'ERR '+e.message));
  await pool.end(); await server.stop(); await db.close();
}
main();

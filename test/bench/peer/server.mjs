// PostGraphile 4 serving the benchmark database over HTTP, as the reference for the catalogue
// page: `node server.mjs` with DATABASE_URL and PORT (default 4450); POST /graphql.
//
// The page's stats that are not plain columns (vote score, rating average, uses and views of
// the last 30 city days, in citizen-days as the API counts them) become PostGraphile computed
// columns: STABLE SQL functions named service_* in the public schema, created here (CREATE OR
// REPLACE) in the benchmark database.
// PostGraphile compiles the whole nested query, computed columns included, into one SQL statement.
import http from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';

const COMPUTED_COLUMNS = `
CREATE OR REPLACE FUNCTION service_vote_score(s service) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT wilson_lower_bound(st.upvotes, st.downvotes) FROM service_stats st WHERE st.service_id = s.id), 0)
$$;
CREATE OR REPLACE FUNCTION service_rating_average(s service) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN st.rating_count = 0 THEN NULL ELSE st.rating_sum::double precision / st.rating_count END
    FROM service_stats st WHERE st.service_id = s.id
$$;
CREATE OR REPLACE FUNCTION service_uses_30d(s service) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(a.citizens), 0)::int FROM service_activity_daily a
   WHERE a.service_id = s.id AND a.kind = 'USE' AND a.day > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30
$$;
CREATE OR REPLACE FUNCTION service_views_30d(s service) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(a.citizens), 0)::int FROM service_activity_daily a
   WHERE a.service_id = s.id AND a.kind = 'VIEW' AND a.day > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30
$$;`;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL must point at the benchmark database');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4450);

const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.DB_POOL_SIZE ?? 10) });
await pool.query(COMPUTED_COLUMNS);

const middleware = postgraphile(pool, 'public', {
  graphqlRoute: '/graphql',
  graphiql: false,
  disableQueryLog: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  disableDefaultMutations: true,
  enableQueryBatching: false,
  extendedErrors: ['message'],
});

const server = http.createServer(middleware);
server.listen(port, '127.0.0.1', () => console.log(`postgraphile on http://127.0.0.1:${port}/graphql`));

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

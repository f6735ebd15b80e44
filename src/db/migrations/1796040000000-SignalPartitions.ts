import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The signal log partitioned by city month of `received_at` (docs/scaling.md, "The signal log
 * by month"): a partition per month from the oldest stored row to three months ahead, and
 * `signal_default` for any row no month partition takes, so that an insert never fails. The
 * rows are moved with their ids, writer transactions and times; the identity sequence goes on
 * from where it was.
 *
 * - The primary key becomes (id, received_at): a key of a partitioned table holds its
 *   partition key. `open311_request` and `request_case` gain `signal_received_at` and reference
 *   (id, received_at), so a referenced month cannot be detached.
 * - (citizen_id, client_event_id) moves to `signal_client_event`, unpartitioned, claimed in the
 *   statement that inserts the signals: a client event is stored once whatever its month.
 */
export class SignalPartitions1796040000000 implements MigrationInterface {
  name = 'SignalPartitions1796040000000';

  public async up(q: QueryRunner): Promise<void> {
    // No foreign key: a claim is made in the statement that inserts its signal, whose own key
    // checks the citizen; a check per claimed row cost about 7% of the PostgreSQL CPU of a batch of
    // 50. Deleting citizens forgets their claims, once per statement.
    await q.query(`
      CREATE TABLE signal_client_event (
        citizen_id uuid NOT NULL,
        client_event_id varchar(128) NOT NULL,
        PRIMARY KEY (citizen_id, client_event_id)
      )`);
    await q.query(`
      CREATE FUNCTION forget_client_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM signal_client_event e USING deleted_citizen d WHERE e.citizen_id = d.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER citizen_forget_client_events AFTER DELETE ON citizen
        REFERENCING OLD TABLE AS deleted_citizen FOR EACH STATEMENT EXECUTE FUNCTION forget_client_events()`);
    await q.query(`INSERT INTO signal_client_event (citizen_id, client_event_id)
                   SELECT citizen_id, client_event_id FROM signal WHERE client_event_id IS NOT NULL`);

    for (const table of ['open311_request', 'request_case']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN signal_received_at timestamptz`);
      await q.query(`UPDATE ${table} r SET signal_received_at = s.received_at FROM signal s WHERE s.id = r.signal_id`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN signal_received_at SET NOT NULL`);
    }
    await q.query('ALTER TABLE open311_request DROP CONSTRAINT open311_request_signal_id_fkey');
    await q.query('ALTER TABLE request_case DROP CONSTRAINT "FK_ce69e20e40ba7adc383f8338942"');

    await q.query('ALTER TABLE signal RENAME TO signal_unpartitioned');
    await q.query('ALTER SEQUENCE signal_id_seq RENAME TO signal_unpartitioned_id_seq');
    await q.query(
      'ALTER TABLE signal_unpartitioned RENAME CONSTRAINT "PK_bc7222a78e5bc0403a1988c1daf" TO signal_unpartitioned_pkey',
    );
    for (const index of INDEXES) await q.query(`DROP INDEX ${index.name}`);
    await q.query('DROP INDEX signal_citizen_client_event_uq');

    await q.query(`
      CREATE TABLE signal (
        id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        ${COLUMNS},
        CONSTRAINT "PK_bc7222a78e5bc0403a1988c1daf" PRIMARY KEY (id, received_at)
      ) PARTITION BY RANGE (received_at)`);
    const [{ first, last }] = (await q.query(
      `SELECT to_char(date_trunc('month', COALESCE(min(received_at), now()) AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS first,
              to_char(GREATEST(date_trunc('month', max(received_at) AT TIME ZONE 'Asia/Shanghai'),
                               date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') + interval '3 months'), 'YYYY-MM') AS last
         FROM signal_unpartitioned`,
    )) as { first: string; last: string }[];
    for (let month = first; month <= last; month = nextMonth(month)) {
      await q.query(
        `CREATE TABLE signal_${month.replace('-', '_')} PARTITION OF signal
           FOR VALUES FROM ('${month}-01 00:00:00+08') TO ('${nextMonth(month)}-01 00:00:00+08')`,
      );
    }
    await q.query('CREATE TABLE signal_default PARTITION OF signal DEFAULT');

    await q.query(`INSERT INTO signal (id, ${COLUMN_NAMES}) OVERRIDING SYSTEM VALUE
                   SELECT id, ${COLUMN_NAMES} FROM signal_unpartitioned`);
    await q.query(`SELECT setval(pg_get_serial_sequence('signal', 'id'), last_value, is_called)
                     FROM signal_unpartitioned_id_seq`);
    for (const index of INDEXES) await q.query(`CREATE INDEX ${index.name} ON signal ${index.on}`);
    for (const fk of FOREIGN_KEYS) await q.query(`ALTER TABLE signal ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
    await q.query('DROP TABLE signal_unpartitioned');

    await q.query(`ALTER TABLE open311_request ADD CONSTRAINT open311_request_signal_fkey
                     FOREIGN KEY (signal_id, signal_received_at) REFERENCES signal (id, received_at) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE request_case ADD CONSTRAINT request_case_signal_fkey
                     FOREIGN KEY (signal_id, signal_received_at) REFERENCES signal (id, received_at) ON DELETE CASCADE`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE open311_request DROP CONSTRAINT open311_request_signal_fkey');
    await q.query('ALTER TABLE request_case DROP CONSTRAINT request_case_signal_fkey');
    await q.query('ALTER TABLE signal RENAME TO signal_partitioned');
    await q.query(
      'ALTER TABLE signal_partitioned RENAME CONSTRAINT "PK_bc7222a78e5bc0403a1988c1daf" TO signal_partitioned_pkey',
    );
    await q.query('ALTER SEQUENCE signal_id_seq RENAME TO signal_partitioned_id_seq');
    for (const index of INDEXES) await q.query(`DROP INDEX ${index.name}`);
    await q.query(`
      CREATE TABLE signal (
        id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        ${COLUMNS},
        CONSTRAINT "PK_bc7222a78e5bc0403a1988c1daf" PRIMARY KEY (id)
      )`);
    await q.query(`INSERT INTO signal (id, ${COLUMN_NAMES}) OVERRIDING SYSTEM VALUE
                   SELECT id, ${COLUMN_NAMES} FROM signal_partitioned`);
    await q.query(`SELECT setval(pg_get_serial_sequence('signal', 'id'), last_value, is_called)
                     FROM signal_partitioned_id_seq`);
    for (const index of INDEXES) await q.query(`CREATE INDEX ${index.name} ON signal ${index.on}`);
    await q.query('CREATE UNIQUE INDEX signal_citizen_client_event_uq ON signal (citizen_id, client_event_id)');
    for (const fk of FOREIGN_KEYS) await q.query(`ALTER TABLE signal ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
    await q.query('DROP TABLE signal_partitioned');
    await q.query(`ALTER TABLE open311_request ADD CONSTRAINT open311_request_signal_id_fkey
                     FOREIGN KEY (signal_id) REFERENCES signal (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE request_case ADD CONSTRAINT "FK_ce69e20e40ba7adc383f8338942"
                     FOREIGN KEY (signal_id) REFERENCES signal (id) ON DELETE CASCADE`);
    await q.query('ALTER TABLE open311_request DROP COLUMN signal_received_at');
    await q.query('ALTER TABLE request_case DROP COLUMN signal_received_at');
    await q.query('DROP TRIGGER citizen_forget_client_events ON citizen');
    await q.query('DROP FUNCTION forget_client_events()');
    await q.query('DROP TABLE signal_client_event');
  }
}

/** The signal's columns after its id, as the earlier migrations left them, in their order. */
const COLUMNS = `citizen_id uuid NOT NULL,
        kind signal_kind NOT NULL,
        service_id uuid,
        category_id uuid,
        district_code varchar(6) NOT NULL,
        age_band age_band,
        text text,
        rating smallint,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        client_event_id varchar(128),
        matched_service_id uuid,
        match_score real,
        unmet boolean,
        need_code varchar(64),
        writer_xid xid8 DEFAULT pg_current_xact_id()`;

const COLUMN_NAMES = COLUMNS.split(',')
  .map((c) => c.trim().split(/\s+/)[0])
  .join(', ');

const INDEXES = [
  { name: 'signal_occurred_idx', on: '(occurred_at)' },
  { name: 'signal_citizen_occurred_idx', on: '(citizen_id, occurred_at)' },
  { name: 'signal_service_occurred_idx', on: '(service_id, occurred_at)' },
  { name: 'signal_unmet_request_idx', on: `(occurred_at) WHERE kind = 'REQUEST' AND unmet` },
  { name: 'signal_unmet_search_idx', on: `(occurred_at) WHERE kind = 'SEARCH' AND unmet` },
  { name: 'signal_writer_xid_idx', on: '(writer_xid) WHERE writer_xid IS NOT NULL' },
];

const FOREIGN_KEYS = [
  {
    name: 'FK_9929fe42022423bc3c1e2c2ebf2',
    definition: 'FOREIGN KEY (citizen_id) REFERENCES citizen (id) ON DELETE CASCADE',
  },
  {
    name: 'FK_921188efca71f95d93ca04e16ad',
    definition: 'FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE RESTRICT',
  },
  {
    name: 'FK_b9784846068ffda0b8d9899a7a0',
    definition: 'FOREIGN KEY (category_id) REFERENCES category (id) ON DELETE RESTRICT',
  },
  {
    name: 'FK_3e6f77a6e912467e37f95bec9b0',
    definition: 'FOREIGN KEY (district_code) REFERENCES district (code) ON DELETE RESTRICT',
  },
];

/** '2026-12' → '2027-01'. */
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

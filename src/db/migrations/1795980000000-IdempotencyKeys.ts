import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of submitRequest and createProposal (src/modules/idempotency): one row per
 * caller (the token's subject) and key, claimed by the primary key so that two calls racing
 * with one key run the write once; `outcome` is what a retry is answered with. Kept 24 hours.
 */
export class IdempotencyKeys1795980000000 implements MigrationInterface {
  name = 'IdempotencyKeys1795980000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_key (
      caller_id varchar(64) NOT NULL,
      key varchar(255) NOT NULL,
      operation varchar(64) NOT NULL,
      fingerprint char(64) NOT NULL,
      outcome jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT idempotency_key_pkey PRIMARY KEY (caller_id, key)
    )`);
    await q.query('CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at)');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_key');
  }
}

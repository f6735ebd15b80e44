import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Separation of duties held by the database as well as by reviewProposal: a review is written
 * only by a reviewer of a department (reviewer_department_id set), never the proposing one.
 * A trigger, since the proposing department is on another row; reviews stored before (by
 * reviewers without a department) stay as they are.
 */
export class ReviewSeparationOfDuties1795981000001 implements MigrationInterface {
  name = 'ReviewSeparationOfDuties1795981000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION proposal_review_separation_of_duties() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reviewer_department_id IS NULL THEN
          RAISE EXCEPTION 'a review needs the reviewer''s department' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.reviewer_department_id = (SELECT department_id FROM proposal WHERE id = NEW.proposal_id) THEN
          RAISE EXCEPTION 'a reviewer may not review a proposal of their own department' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER proposal_review_separation_of_duties BEFORE INSERT OR UPDATE ON proposal_review
      FOR EACH ROW EXECUTE FUNCTION proposal_review_separation_of_duties()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER proposal_review_separation_of_duties ON proposal_review');
    await q.query('DROP FUNCTION proposal_review_separation_of_duties()');
  }
}

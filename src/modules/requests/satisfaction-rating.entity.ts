import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SatisfactionLevel } from './satisfaction';

/**
 * A citizen's rating of an outcome: a resolved request or complaint (`case_id`), or a USE of
 * a service (`use_signal_id`); once per item (unique indexes). A bad one carries a
 * rectification the department must answer by `rectification_due`.
 */
@ObjectType('SatisfactionRating', { simpleResolvers: true })
@Entity('satisfaction_rating')
@Index('satisfaction_rating_case_uq', ['requestId'], { unique: true })
@Index('satisfaction_rating_use_uq', ['useSignalId'], { unique: true })
@Index('satisfaction_rating_department_idx', ['departmentId', 'at'])
@Index('satisfaction_rating_at_idx', ['at'])
@Check('satisfaction_rating_one_item', '(case_id IS NULL) <> (use_signal_id IS NULL)')
export class SatisfactionRating {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'case_id', type: 'bigint', nullable: true })
  requestId: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'use_signal_id', type: 'bigint', nullable: true })
  useSignalId: string | null;

  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Field(() => SatisfactionLevel)
  @Column({ type: 'enum', enum: SatisfactionLevel, enumName: 'satisfaction_level' })
  level: SatisfactionLevel;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Field(() => Date, { nullable: true, description: 'For a bad rating: when the department must answer by.' })
  @Column({ name: 'rectification_due', type: 'timestamptz', nullable: true })
  rectificationDue: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'rectification_answer', type: 'text', nullable: true })
  rectificationAnswer: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'rectified_at', type: 'timestamptz', nullable: true })
  rectifiedAt: Date | null;
}

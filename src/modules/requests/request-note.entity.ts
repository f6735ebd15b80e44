import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RequestCase } from './request-case.entity';

/** A note on a case: public (the citizen reads it) or internal (departments only). Append-only. */
@ObjectType('RequestNote', { simpleResolvers: true })
@Entity('request_note')
@Index('request_note_case_idx', ['caseId', 'at'])
export class RequestNote {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => RequestCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  requestCase?: RequestCase;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Field({ description: 'False for an internal note, which citizens never see.' })
  @Column({ name: 'is_public', type: 'boolean' })
  isPublic: boolean;

  @Field()
  @Column({ type: 'text' })
  text: string;
}

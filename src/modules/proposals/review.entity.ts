import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Proposal } from './proposal.entity';
import { ReviewDecision } from './proposal-state';

/** One reviewer's decision on a proposal; a proposal collects one per round of review. */
@ObjectType('Review', { simpleResolvers: true })
@Entity('proposal_review')
@Index('proposal_review_proposal_idx', ['proposalId', 'createdAt'])
export class Review {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => Proposal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: Proposal;

  @Field(() => ID)
  @Column({ name: 'reviewer_id', type: 'uuid' })
  reviewerId: string;

  /** The reviewer's department when they had one (never the proposing department). */
  @Column({ name: 'reviewer_department_id', type: 'uuid', nullable: true })
  reviewerDepartmentId: string | null;

  @Field(() => ReviewDecision)
  @Column({ type: 'enum', enum: ReviewDecision, enumName: 'review_decision' })
  decision: ReviewDecision;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

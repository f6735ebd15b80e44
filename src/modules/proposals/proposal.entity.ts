import { Field, ID, ObjectType } from 'type-graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Category } from '../categories/category.entity';
import { WithServiceContent } from '../catalogue/service-content';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
import type { GuideData } from '../guides/guide';
import { ProposalStatus } from './proposal-state';

/** The key of a proposal; its column and field come before the content. */
@ObjectType()
class ProposalKey {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;
}

/**
 * A department's proposal of a new service, or of a new version of one of its services
 * (`replacesServiceId`), on its way through review. The content has the catalogue's shape;
 * approval copies it into `service`. Status changes only through proposals.service.ts.
 */
@ObjectType('ServiceProposal', { simpleResolvers: true })
@Entity('proposal')
@Check('proposal_guide_check', `guide IS NULL OR jsonb_typeof(guide) = 'object'`)
@Index('proposal_department_created_idx', ['departmentId', 'createdAt'])
@Index('proposal_status_created_idx', ['status', 'createdAt'])
export class Proposal extends WithServiceContent(ProposalKey) {
  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: Category;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Department;

  @Column({ name: 'co_department_ids', type: 'uuid', array: true, default: () => "'{}'" })
  coDepartmentIds: string[];

  @Field(() => String, { nullable: true, description: 'Why the service is needed.' })
  @Column({ type: 'text', nullable: true })
  rationale: string | null;

  /** The guide approval gives the service (the shape of seeds/catalogue/guides.json); null keeps the current one. */
  @Column({ name: 'guide', type: 'jsonb', nullable: true })
  guideData: GuideData | null;

  @Index()
  @Column({ name: 'replaces_service_id', type: 'uuid', nullable: true })
  replacesServiceId: string | null;

  @ManyToOne(() => ServiceOffering, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'replaces_service_id' })
  replaces?: ServiceOffering;

  @Field(() => ProposalStatus)
  @Column({ type: 'enum', enum: ProposalStatus, enumName: 'proposal_status', default: ProposalStatus.DRAFT })
  status: ProposalStatus;

  /** The published service once approved (for a new version, the replaced service itself). */
  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @ManyToOne(() => ServiceOffering, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @Field(() => ID)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ServiceStatus } from './catalogue.enums';
import { WithServiceContent } from './service-content';
import type { GuideData } from '../guides/guide';
import { ServiceOffering } from './service.entity';

/** The key of a version, and its code; their columns and fields come before the content. */
@ObjectType()
class ServiceVersionKey {
  @Field(() => ID, { description: 'The service.' })
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Field(() => Int)
  @PrimaryColumn({ type: 'int' })
  version: number;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  code: string;
}

/**
 * A version of a service as it was published. The `service` row holds the current version;
 * when an approved proposal replaces it, the superseded version is copied here first (all
 * catalogue fields, with the time it was valid), so every version can be read back.
 */
@ObjectType('ServiceVersion', { simpleResolvers: true, description: 'A version of a service, as it was published.' })
@Entity('service_version')
@Check('service_version_guide_check', `guide IS NULL OR jsonb_typeof(guide) = 'object'`)
export class ServiceVersion extends WithServiceContent(ServiceVersionKey) {
  @ManyToOne(() => ServiceOffering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @Column({ name: 'co_department_ids', type: 'uuid', array: true, default: () => "'{}'" })
  coDepartmentIds: string[];

  @Field(() => ServiceStatus)
  @Column({ type: 'enum', enum: ServiceStatus, enumName: 'service_status' })
  status: ServiceStatus;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { description: 'When this version took effect.' })
  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @Field(() => Date, { nullable: true, description: 'When a later version replaced it; null for the current version.' })
  @Column({ name: 'valid_to', type: 'timestamptz' })
  validTo: Date | null;

  /** The guide of this version as it was (null when it had none); read through the guide field. */
  @Column({ name: 'guide', type: 'jsonb', nullable: true })
  guideData?: GuideData | null;

  /** The approved proposal that replaced this version. */
  @Field(() => ID, { nullable: true, description: 'The approved proposal that replaced this version.' })
  @Column({ name: 'superseded_by_proposal_id', type: 'uuid', nullable: true })
  supersededByProposalId: string | null;
}

import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../core/auth';

/**
 * One state change made through the API: who (actor and role), what (action, target) and
 * what changed (details). Written in the transaction of the change by `recordAudit`; a
 * trigger of the ProposalsAndAudit migration refuses UPDATE, DELETE and TRUNCATE, so the
 * trail is append-only. No foreign keys: events outlive what they name.
 */
@ObjectType('AuditEvent', { simpleResolvers: true })
@Entity('audit_event')
@Index('audit_event_at_idx', ['at'])
@Index('audit_event_actor_idx', ['actorId', 'at'])
@Index('audit_event_action_idx', ['action', 'at'])
@Index('audit_event_target_idx', ['targetType', 'targetId', 'at'])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Field(() => Role, { nullable: true })
  @Column({ name: 'actor_role', type: 'varchar', length: 16, nullable: true })
  actorRole: Role | null;

  @Field({ description: 'For example proposal.approve, service.retire, vote.cast.' })
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Field()
  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  /** What changed; served as a JSON string by the resolver. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;
}

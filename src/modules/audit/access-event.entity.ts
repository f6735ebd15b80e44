import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../core/auth';

/**
 * One read of a citizen's personal data by someone else (China's Personal Information
 * Protection Law): who read (actor, role, department), whose data (citizen), what (the data
 * read and how it was asked for), when, and in which request. Written in the request that
 * read, before its answer leaves; a trigger of the AccessEvents migration refuses UPDATE,
 * DELETE and TRUNCATE. No foreign keys: events outlive what they name.
 */
@ObjectType('AccessEvent', {
  simpleResolvers: true,
  description: "A read of a citizen's personal data by someone else.",
})
@Entity('access_event')
@Index('access_event_at_idx', ['at'])
@Index('access_event_citizen_idx', ['citizenId', 'at'])
@Index('access_event_actor_idx', ['actorId', 'at'])
export class AccessEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Field({ description: 'The x-request-id of the request that read.' })
  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId: string;

  @Field(() => ID)
  @Column({ name: 'actor_id', type: 'uuid' })
  actorId: string;

  @Field(() => Role)
  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: Role;

  @Field(() => ID, { nullable: true, description: "The reader's department (the token's dept), if any." })
  @Column({ name: 'actor_department_id', type: 'uuid', nullable: true })
  actorDepartmentId: string | null;

  @Field(() => ID, { description: 'Whose data was read.' })
  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @Field({ description: 'What was read: citizen.profile, citizen.ranking or citizen.audit_trail.' })
  @Column({ type: 'varchar', length: 64 })
  what: string;

  /** How it was asked for (fields, arguments); served as a JSON string by the resolver. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;
}

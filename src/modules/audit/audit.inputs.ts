import { IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { Connection, PaginationArgs } from '../../core/pagination';
import { AuditEvent } from './audit-event.entity';

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  action?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  targetType?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  targetId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events at or after this time.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events before this time.' })
  @IsOptional()
  to?: Date | null;
}

@ArgsType()
export class AuditEventsArgs extends PaginationArgs(50) {
  @Field(() => AuditFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AuditFilter | null;
}

export const AuditEventConnection = Connection('AuditEvent', AuditEvent);
export type AuditEventConnection = InstanceType<typeof AuditEventConnection>;

import { IsEnum, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { Role } from '../../core/auth';
import { Connection, PaginationArgs } from '../../core/pagination';
import { AccessEvent } from './access-event.entity';

@InputType()
export class AccessEventFilter {
  @Field(() => ID, { nullable: true, description: 'Whose data was read.' })
  @IsOptional()
  @IsUUID()
  citizenId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Who read.' })
  @IsOptional()
  @IsUUID()
  actorId?: string | null;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  actorRole?: Role | null;

  @Field(() => String, { nullable: true, description: 'citizen.profile, citizen.ranking or citizen.audit_trail.' })
  @IsOptional()
  @MaxLength(64)
  what?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events at or after this time.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events before this time.' })
  @IsOptional()
  to?: Date | null;
}

@ArgsType()
export class AccessEventsArgs extends PaginationArgs(50) {
  @Field(() => AccessEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AccessEventFilter | null;
}

export const AccessEventConnection = Connection('AccessEvent', AccessEvent);
export type AccessEventConnection = InstanceType<typeof AccessEventConnection>;

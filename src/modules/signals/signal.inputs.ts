import { IsOptional, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { SignalKind } from './signal-kind';

@InputType()
export class SignalInput {
  @Field(() => SignalKind)
  kind: SignalKind;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  serviceId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(64)
  categoryCode?: string | null;

  @Field(() => String, { nullable: true, description: "Defaults to the citizen's district." })
  @IsOptional()
  @MinLength(1)
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(5)
  rating?: number | null;

  @Field(() => Date, { nullable: true, description: 'Defaults to now; not in the future, not older than 90 days.' })
  @IsOptional()
  occurredAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The client's own id for the event; a repeat with the same id is counted once.",
  })
  @IsOptional()
  @MinLength(1)
  @MaxLength(128)
  clientEventId?: string | null;
}

import { ArrayMaxSize, IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { CITIZEN_TAGS } from './citizen-tags';

@InputType()
export class CitizenProfileInput {
  @Field()
  @MaxLength(6)
  districtCode: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: `Circumstances that make services available: ${CITIZEN_TAGS.join(', ')}.`,
  })
  @IsOptional()
  @ArrayMaxSize(CITIZEN_TAGS.length)
  @IsIn(CITIZEN_TAGS, { each: true, message: `each tag must be one of ${CITIZEN_TAGS.join(', ')}` })
  tags?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @MaxLength(64, { each: true })
  interestCategoryCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  personalization?: boolean | null;
}

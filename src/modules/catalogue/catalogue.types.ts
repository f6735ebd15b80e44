import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsIn, IsOptional, Matches, Max, Min } from 'class-validator';
import { CITIZEN_TAGS } from '../citizens/citizen-tags';
import { Connection } from '../../core/pagination';
import { District } from '../districts/district.entity';
import { ServiceOffering } from './service.entity';

export const ServiceOfferingConnection = Connection('ServiceOffering', ServiceOffering);
export type ServiceOfferingConnection = InstanceType<typeof ServiceOfferingConnection>;

@ObjectType({ simpleResolvers: true, description: 'Who may use a service. Empty lists and nulls do not restrict.' })
export class Eligibility {
  @Field(() => Int, { nullable: true })
  minAge: number | null;

  @Field(() => Int, { nullable: true })
  maxAge: number | null;

  @Field(() => [String], { description: 'The citizen must carry every one of these tags.' })
  requiredTags: string[];

  @Field(() => [District], { description: 'The citizen must live in one of these districts; empty means citywide.' })
  districts: District[];
}

@InputType()
export class EligibilityInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(150)
  minAge?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(150)
  maxAge?: number | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(CITIZEN_TAGS.length)
  @ArrayUnique()
  @IsIn(CITIZEN_TAGS, { each: true, message: `each required tag must be one of ${CITIZEN_TAGS.join(', ')}` })
  requiredTags?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^\d{6}$/, { each: true, message: 'each district code must be six digits' })
  districtCodes?: string[] | null;
}

import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Connection } from '../../graphql/pagination';
import { District } from '../districts/district.entity';
import { ServiceOffering } from './service.entity';

export const ServiceOfferingConnection = Connection('ServiceOffering', ServiceOffering);
export type ServiceOfferingConnection = InstanceType<typeof ServiceOfferingConnection>;

@ObjectType({ description: 'Who may use a service. Empty lists and nulls do not restrict.' })
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
  @ArrayMaxSize(10)
  @MaxLength(40, { each: true })
  requiredTags?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @MaxLength(6, { each: true })
  districtCodes?: string[] | null;
}

import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';

@InputType({ description: 'A GPS position (WGS-84), as phones and Open311 clients send it.' })
export class LatLongInput {
  @Field(() => Float)
  @Min(-90)
  @Max(90)
  lat: number;

  @Field(() => Float)
  @Min(-180)
  @Max(180)
  long: number;
}

@ArgsType()
export class ServicePointsArgs {
  @Field(() => ID, { nullable: true, description: 'Only points that handle this service.' })
  @IsOptional()
  serviceId?: string | null;

  @Field(() => LatLongInput, { nullable: true, description: 'Order nearest first from here and give distances.' })
  @IsOptional()
  @ValidateNested()
  near?: LatLongInput | null;

  @Field(() => String, { nullable: true, description: 'Only points in this district.' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  districtCode?: string | null;

  @Field(() => Date, { nullable: true, description: 'The instant `open` refers to; now when not given.' })
  @IsOptional()
  openAt?: Date | null;

  @Field({ defaultValue: false, description: 'Only points open at that instant.' })
  openOnly: boolean;

  @Field(() => Int, { defaultValue: 20 })
  @Min(1)
  @Max(100)
  first: number;
}

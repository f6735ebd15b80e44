import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ServicePointKind } from '../guides/guide.types';

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

@ObjectType({ simpleResolvers: true, description: 'A position in GCJ-02, the system Chinese maps display.' })
export class MapPosition {
  @Field(() => Float)
  lat: number;

  @Field(() => Float)
  long: number;
}

@ObjectType({ simpleResolvers: true })
export class OpeningHours {
  @Field({ description: 'mon … sun.' })
  weekday: string;

  @Field(() => [String], { description: "Opening spans as 'HH:MM-HH:MM' in city time; empty when closed." })
  spans: string[];
}

@ObjectType({
  simpleResolvers: true,
  description: 'A service window: 政务服务中心, 便民服务中心 or a department hall.',
})
export class ServicePointView {
  @Field(() => ID)
  code: string;

  @Field()
  name: string;

  @Field(() => ServicePointKind)
  kind: ServicePointKind;

  @Field()
  districtCode: string;

  @Field(() => String, { nullable: true, description: 'The street or township (统计用区划代码, 9 digits).' })
  townshipCode: string | null;

  @Field()
  address: string;

  @Field(() => MapPosition)
  location: MapPosition;

  @Field(() => [OpeningHours], { description: 'Weekly hours; holidays and 调休 days are applied by `open`.' })
  hours: OpeningHours[];

  @Field()
  closedOnHolidays: boolean;

  @Field()
  phone: string;

  @Field(() => Int, { nullable: true, description: 'Great-circle distance from `near`, when a position was given.' })
  distanceMeters: number | null;

  @Field({
    description: 'Open at the instant asked (servicePoints openAt, else now), in city time, holidays included.',
  })
  open: boolean;
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

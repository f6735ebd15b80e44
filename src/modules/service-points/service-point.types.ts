import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ServicePointKind } from '../guides/guide.types';

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

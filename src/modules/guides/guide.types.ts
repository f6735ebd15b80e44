import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum MaterialForm {
  ORIGINAL = 'ORIGINAL',
  COPY = 'COPY',
  ORIGINAL_AND_COPY = 'ORIGINAL_AND_COPY',
  ELECTRONIC = 'ELECTRONIC',
}
registerEnumType(MaterialForm, {
  name: 'MaterialForm',
  description: 'ELECTRONIC: shown on a phone, fetched by the department, or uploaded.',
});

export enum ServicePointKind {
  CITY_CENTRE = 'CITY_CENTRE',
  DISTRICT_CENTRE = 'DISTRICT_CENTRE',
  STREET_CENTRE = 'STREET_CENTRE',
  DEPARTMENT_HALL = 'DEPARTMENT_HALL',
}
registerEnumType(ServicePointKind, { name: 'ServicePointKind' });

@ObjectType({ simpleResolvers: true, description: 'A document or form to bring (申请材料).' })
export class GuideMaterial {
  @Field()
  name: string;

  @Field(() => MaterialForm)
  form: MaterialForm;

  @Field(() => Int)
  count: number;

  @Field(() => String, { nullable: true, description: 'When the item is needed or how to get it.' })
  notes: string | null;
}

@ObjectType({ simpleResolvers: true })
export class GuideFee {
  @Field()
  free: boolean;

  @Field(() => String, { nullable: true, description: 'The charge as the guide states it, e.g. 每本120元.' })
  amount: string | null;

  @Field(() => String, { nullable: true, description: 'The document that sets the charge.' })
  basis: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'Where the service is done.' })
export class GuideWhere {
  @Field(() => String, { nullable: true, description: 'Portal address, when the service is done online.' })
  onlineUrl: string | null;

  @Field(() => [String], { description: 'Apps that handle it.' })
  apps: string[];

  @Field(() => [ServicePointKind], { description: 'Kinds of service point that handle it.' })
  pointKinds: ServicePointKind[];

  @Field(() => String, { nullable: true, description: 'A place that is not a service point, or which window to use.' })
  venue: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The service guide (办事指南): what to bring, cost, time and place.',
})
export class ServiceGuide {
  @Field(() => [GuideMaterial])
  materials: GuideMaterial[];

  @Field(() => [String], { description: 'Who may apply.' })
  conditions: string[];

  @Field(() => GuideFee)
  fee: GuideFee;

  @Field(() => Int, { description: 'Legal time limit (法定办结时限) in working days; 0 is done on the spot.' })
  legalTimeLimitDays: number;

  @Field(() => Int, { description: 'Promised time limit (承诺办结时限) in working days, never above the legal one.' })
  promisedTimeLimitDays: number;

  @Field(() => GuideWhere)
  where: GuideWhere;

  @Field({ description: 'Public hotline for questions (12345 when the subject has none of its own).' })
  consultationPhone: string;

  @Field(() => [String], { description: 'Laws and rules that govern the service, each named in 《》.' })
  legalBasis: string[];
}

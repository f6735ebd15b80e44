import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MaterialForm, ServicePointKind } from './guide.types';

const SHORT = 200;
const LONG = 1000;

@InputType({ description: 'A document or form to bring (申请材料).' })
export class GuideMaterialInput {
  @Field()
  @MaxLength(SHORT)
  name: string;

  @Field(() => MaterialForm)
  form: MaterialForm;

  @Field(() => Int)
  @Min(1)
  @Max(100)
  count: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LONG)
  notes?: string | null;
}

@InputType({ description: 'free, or not free with the amount and the document that sets it.' })
export class GuideFeeInput {
  @Field()
  free: boolean;

  @Field(() => String, { nullable: true, description: 'Required when not free, e.g. 每本120元.' })
  @IsOptional()
  @MaxLength(SHORT)
  amount?: string | null;

  @Field(() => String, { nullable: true, description: 'Required when not free.' })
  @IsOptional()
  @MaxLength(LONG)
  basis?: string | null;
}

@InputType()
export class GuideWhereInput {
  @Field(() => String, {
    nullable: true,
    description: 'An https address, exactly when the service has the ONLINE channel.',
  })
  @IsOptional()
  @MaxLength(SHORT)
  onlineUrl?: string | null;

  @Field(() => [String], {
    defaultValue: [],
    description: 'At least one exactly when the service has the APP channel.',
  })
  @ArrayMaxSize(10)
  @MaxLength(60, { each: true })
  apps: string[];

  @Field(() => [ServicePointKind], {
    defaultValue: [],
    description: 'Only for a service with the SERVICE_WINDOW channel.',
  })
  @ArrayMaxSize(4)
  pointKinds: ServicePointKind[];

  @Field(() => String, { nullable: true, description: 'A place that is not a service point, or which window to use.' })
  @IsOptional()
  @MaxLength(LONG)
  venue?: string | null;
}

@InputType({
  description:
    'A service guide (办事指南) as a proposal carries it; checked like seeds/catalogue/check-guides.mjs checks the seeded ones.',
})
export class ServiceGuideInput {
  @Field(() => [GuideMaterialInput])
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  materials: GuideMaterialInput[];

  @Field(() => [String])
  @ArrayMaxSize(30)
  @MaxLength(LONG, { each: true })
  conditions: string[];

  @Field(() => GuideFeeInput)
  @ValidateNested()
  fee: GuideFeeInput;

  @Field(() => Int, { description: 'Working days; 0 is done on the spot.' })
  @Min(0)
  @Max(365)
  legalTimeLimitDays: number;

  @Field(() => Int, { description: 'Working days, never above the legal limit.' })
  @Min(0)
  @Max(365)
  promisedTimeLimitDays: number;

  @Field(() => GuideWhereInput)
  @ValidateNested()
  where: GuideWhereInput;

  @Field({ description: 'A hotline of 3–5 digits or 0851-XXXXXXXX.' })
  @MaxLength(20)
  consultationPhone: string;

  @Field(() => [String], { description: 'Each names a law or regulation in 《》.' })
  @ArrayMaxSize(20)
  @MaxLength(LONG, { each: true })
  legalBasis: string[];
}

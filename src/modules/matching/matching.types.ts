import { IsOptional, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MAX_PAGE_SIZE, PageInfo, PaginationArgs } from '../../core/pagination';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { ServiceOffering } from '../catalogue/service.entity';
import { SignalRow } from '../signals/signal.entity';
import { MatchReasonKind } from './match-reason';
import { LatLongInput } from '../service-points/service-point.types';
import { LifeEvent, Need } from '../needs/needs.types';

@ObjectType({ simpleResolvers: true })
export class MatchReason {
  @Field(() => MatchReasonKind)
  kind: MatchReasonKind;

  @Field(() => Float, { description: "This reason's share of the score, 0 to 1." })
  weight: number;

  @Field({ description: 'A sentence a citizen can read, in Chinese.' })
  message: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'A need recognised in a free-text request: which need (the one Need type), how surely and from which words.',
})
export class RecognisedNeed {
  @Field(() => Need, { description: 'The need recognised.' })
  need: Need;

  @Field({ deprecationReason: 'Use need.code.' })
  code: string;

  @Field({ description: 'In simplified Chinese.', deprecationReason: 'Use need.name.' })
  name: string;

  @Field({ deprecationReason: 'Use need.nameZhHant.' })
  nameZhHant: string;

  @Field({ deprecationReason: 'Use need.nameEn.' })
  nameEn: string;

  @Field(() => Float, { description: 'How surely the text expresses the need, 0 to 1.' })
  confidence: number;

  @Field({ description: 'The phrase of the needs data (or the title or tag of a service meeting it) that matched.' })
  phrase: string;

  @Field({ description: "The citizen's own words that expressed the need." })
  excerpt: string;

  @Field(() => [LifeEvent], { description: 'The life events the need belongs to.' })
  lifeEvents: LifeEvent[];

  @Field({ description: 'False when no published service meets this need: a gap in the catalogue.' })
  met: boolean;
}

@ObjectType({ simpleResolvers: true })
export class ServiceMatch {
  @Field(() => ServiceOffering)
  service: ServiceOffering;

  @Field(() => Float)
  score: number;

  @Field(() => Int)
  rank: number;

  @Field(() => [MatchReason])
  reasons: MatchReason[];

  @Field(() => RecognisedNeed, {
    nullable: true,
    description: 'For free-text matches: the recognised need this service meets, if it was found through one.',
  })
  need?: RecognisedNeed | null;
}

@ObjectType({ simpleResolvers: true })
export class ServiceMatchEdge {
  @Field()
  cursor: string;

  @Field(() => ServiceMatch)
  node: ServiceMatch;
}

@ObjectType({ simpleResolvers: true })
export class ServiceMatchConnection {
  @Field(() => [ServiceMatchEdge])
  edges: ServiceMatchEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field({ description: 'False when the citizen switched personalisation off: the ranking used no personal data.' })
  personalized: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The fitted ranking model (rankingModels) that ranked; null when the default weights did.',
  })
  rankingModelId: number | null;
}

@ArgsType()
export class RecommendedServicesArgs extends PaginationArgs(10) {
  @Field(() => ID, { nullable: true, description: 'For PLANNER and ADMIN: whose ranking. A CITIZEN gets their own.' })
  citizenId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only services of this category (a parent includes its children).',
  })
  @IsOptional()
  @MinLength(1)
  @MaxLength(64)
  categoryCode?: string | null;
}

@ArgsType()
export class MatchRequestArgs {
  @Field()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  text: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => LatLongInput, {
    nullable: true,
    description: 'GPS position (WGS-84): its district, when districtCode is not given, and nearbyOpenPoints.',
  })
  @IsOptional()
  @ValidateNested()
  near?: LatLongInput | null;

  @Field(() => Int, { nullable: true, defaultValue: 5 })
  @IsOptional()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;
}

@InputType()
export class RequestInput {
  @Field()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  text: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Where the need is: else the district of `near`, else one the text names (我在花溪区…), else the citizen's district.",
  })
  @IsOptional()
  @MinLength(1)
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(64)
  categoryCode?: string | null;

  @Field(() => LatLongInput, {
    nullable: true,
    description:
      'GPS position (WGS-84) of the citizen: its district (point in polygon) when districtCode is not given, and ' +
      "each match's nearbyOpenPoints, nearest first. A position outside the city is refused.",
  })
  @IsOptional()
  @ValidateNested()
  near?: LatLongInput | null;
}

@ObjectType({ simpleResolvers: true })
export class RequestOutcome {
  @Field(() => SignalRow)
  request: SignalRow;

  @Field(() => [ServiceMatch])
  matches: ServiceMatch[];

  @Field({
    description: 'True when no published service meets the need well enough; the request then counts as unmet demand.',
  })
  unmet: boolean;

  @Field(() => [RecognisedNeed], { description: 'The needs recognised in the text, most confident first.' })
  needs: RecognisedNeed[];
}

import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../core/pagination';
import { ServiceOffering } from '../catalogue/service.entity';
import { SignalRow } from '../signals/signal.entity';
import { MatchReasonKind } from './match-reason';
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

import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: "One parameter of the ranking blend (a component's weight or a schedule).",
})
export class RankingParameter {
  @Field({
    description:
      'weights.KIND for a component of MatchReasonKind, else the schedule or baseline weight (categoryTaste, coUse, historyHalfPoint, …).',
  })
  name: string;

  @Field(() => Float)
  value: number;
}

@ObjectType({ simpleResolvers: true, description: 'NDCG@10 of a simple baseline on the evaluation week.' })
export class BaselineScore {
  @Field({ description: 'random, global popularity, segment popularity, own category, item kNN, text only.' })
  name: string;

  @Field(() => Float)
  ndcg: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'How a fitted model did on the week after its fit week (never read by the fit).',
})
export class RankingEvaluation {
  @Field(() => Int, { description: 'Citizens scored: those with a use in the evaluation week (a sample at most).' })
  citizens: number;

  @Field(() => Float, { description: 'Mean NDCG@10 of the fitted parameters.' })
  fitted: number;

  @Field(() => Float, { description: 'Mean NDCG@10 of the default parameters.' })
  defaults: number;

  @Field(() => [BaselineScore])
  baselines: BaselineScore[];
}

@ObjectType({ simpleResolvers: true, description: "A version of the ranking blend fitted on the city's own signals." })
export class RankingModel {
  @Field(() => Int)
  id: number;

  @Field(() => Date)
  fittedAt: Date;

  @Field({ description: 'How it was fitted.' })
  method: string;

  @Field(() => [RankingParameter], { description: 'The fitted parameters; those not listed keep their defaults.' })
  parameters: RankingParameter[];

  @Field(() => Date, { description: 'Start of the signals behind the fit week’s features.' })
  historyFrom: Date;

  @Field(() => Date, { description: 'Start of the fit week (what the fit scored against).' })
  fitFrom: Date;

  @Field(() => Date, { description: 'Start of the evaluation week; the fit read no signal from here on.' })
  evaluationFrom: Date;

  @Field(() => Date)
  evaluationTo: Date;

  @Field(() => Int, { description: 'Citizens the fit scored.' })
  fitCitizens: number;

  @Field(() => RankingEvaluation)
  evaluation: RankingEvaluation;

  @Field({ description: 'Whether this model ranks now (at most one does; none: the defaults).' })
  active: boolean;

  @Field(() => Date, { nullable: true })
  activatedAt: Date | null;
}

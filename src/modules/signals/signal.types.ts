import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class RecordSignalsPayload {
  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  duplicates: number;
}

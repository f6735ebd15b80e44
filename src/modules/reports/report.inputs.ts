import { ArgsType, Field, ID } from 'type-graphql';
import { PaginationArgs } from '../../core/pagination';

export const CatalogueReportsArgs = PaginationArgs(20);

@ArgsType()
export class GenerateCatalogueReportArgs {
  @Field(() => Date)
  periodStart: Date;

  @Field(() => Date)
  periodEnd: Date;
}

@ArgsType()
export class CatalogueReportArgs {
  @Field(() => ID)
  id: string;
}

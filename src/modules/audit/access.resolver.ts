import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { AccessEvent } from './access-event.entity';
import { AccessEventConnection, AccessEventsArgs } from './access.inputs';
import { listAccessEvents } from './access.service';
import { Allow } from '../../core/policy';
import { auditPolicy } from './audit.policy';

const LISTING = 'access-events';

@Resolver(() => AccessEvent)
export class AccessResolver {
  @Query(() => AccessEventConnection, {
    description:
      "AUDITOR. Reads of citizens' personal data by someone else (an ADMIN reading a profile, " +
      'a PLANNER a ranking, a filtered audit trail …). Newest first.',
  })
  @Allow(auditPolicy.accessEvents)
  async accessEvents(@Args() args: AccessEventsArgs, @Ctx() ctx: Context): Promise<AccessEventConnection> {
    // The cursor holds the id of the event it stands for (the next page is the events before it).
    const afterId = args.after == null ? null : String(ctx.cursors.decode(LISTING, args.after) - 1);
    const result = await listAccessEvents(ctx, {
      filter: args.filter,
      first: args.first ?? AccessEventsArgs.defaultFirst,
      afterId,
    });
    const edges = result.nodes.map((node) => ({ cursor: ctx.cursors.encode(LISTING, Number(node.id)), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: afterId !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: result.totalCount,
    };
  }

  @FieldResolver(() => String, { nullable: true, description: 'JSON: the fields or arguments of the read.' })
  details(@Root() event: AccessEvent): string | null {
    return event.details == null ? null : JSON.stringify(event.details);
  }
}

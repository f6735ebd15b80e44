import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { buildPage } from '../../core/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditEventConnection, AuditEventsArgs } from './audit.inputs';
import { listAuditEvents, shownDetails } from './audit.service';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'AUDITOR, ADMIN. Newest first.' })
  @Authorized(Role.AUDITOR, Role.ADMIN)
  async auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: Context): Promise<AuditEventConnection> {
    const listing = 'audit-events';
    const offset = ctx.cursors.decode(listing, args.after);
    const result = await listAuditEvents(ctx, { filter: args.filter, first: args.first ?? 50, offset });
    return { ...buildPage(ctx.cursors, listing, result.nodes, offset, result.hasNextPage), totalCount: result.totalCount };
  }

  @FieldResolver(() => String, { nullable: true, description: 'JSON: what changed.' })
  details(@Root() event: AuditEvent): string | null {
    return event.details == null ? null : JSON.stringify(shownDetails(event.details, event.actorRole));
  }
}

import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditEventConnection, AuditEventsArgs } from './audit.inputs';
import { listAuditEvents, shownDetails } from './audit.service';
import { Allow } from '../../core/policy';
import { auditPolicy } from './audit.policy';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'AUDITOR, ADMIN. Newest first.' })
  @Allow(auditPolicy.auditEvents)
  async auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: Context): Promise<AuditEventConnection> {
    const page = pageRequest(ctx.cursors, 'audit-events', args, AuditEventsArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await listAuditEvents(ctx, { filter: args.filter, ...page }));
  }

  @FieldResolver(() => String, { nullable: true, description: 'JSON: what changed.' })
  details(@Root() event: AuditEvent): string | null {
    return event.details == null ? null : JSON.stringify(shownDetails(event.details, event.actorRole));
  }
}

import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { RecordSignalsPayload, SignalInput } from './signal.inputs';
import { recordSignals } from './signals.service';

@Resolver()
export class SignalResolver {
  @Mutation(() => RecordSignalsPayload, {
    description: 'CITIZEN: records up to 500 behaviour signals at once; idempotent on clientEventId.',
  })
  @Authorized(Role.CITIZEN)
  async recordSignals(
    // Validated in the service, which reports each field as signals[i].field.
    @Arg('signals', () => [SignalInput], { validate: false }) signals: SignalInput[],
    @Ctx() ctx: Context,
  ): Promise<RecordSignalsPayload> {
    return recordSignals(ctx, signals);
  }
}

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { SignalInput } from './signal.inputs';
import { RecordSignalsPayload } from './signal.types';
import { recordSignals } from './signals.service';
import { Allow } from '../../core/policy';
import { signalsPolicy } from './signals.policy';

@Resolver()
export class SignalResolver {
  @Mutation(() => RecordSignalsPayload, {
    description: 'CITIZEN: records up to 500 behaviour signals at once; idempotent on clientEventId.',
  })
  @Allow(signalsPolicy.recordSignals)
  async recordSignals(
    // Validated in the service, which reports each field as signals[i].field.
    @Arg('signals', () => [SignalInput], { validate: false }) signals: SignalInput[],
    @Ctx() ctx: Context,
  ): Promise<RecordSignalsPayload> {
    return recordSignals(ctx, signals);
  }
}

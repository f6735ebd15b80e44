import { SignalKind } from './signal-kind';
import { CLOCK_SKEW_MS, MAX_SIGNAL_AGE_DAYS, signalRuleErrors } from './signal-rules';

const now = new Date('2026-11-29T08:00:00Z');
const props = (errors: { property: string }[]) => errors.map((e) => e.property);

describe('signalRuleErrors', () => {
  it('accepts well-formed signals of each kind', () => {
    const service = '6f1c2e4a-8b3d-4f5e-9a7c-1b2d3e4f5a6b';
    expect(signalRuleErrors({ kind: SignalKind.REQUEST, text: '办社保卡' }, 's', now)).toEqual([]);
    expect(signalRuleErrors({ kind: SignalKind.VIEW, serviceId: service }, 's', now)).toEqual([]);
    expect(signalRuleErrors({ kind: SignalKind.RATING, serviceId: service, rating: 4 }, 's', now)).toEqual([]);
    expect(signalRuleErrors({ kind: SignalKind.COMPLAINT, text: '排队太久' }, 's', now)).toEqual([]);
  });

  it('names what each kind is missing', () => {
    expect(props(signalRuleErrors({ kind: SignalKind.SEARCH, text: '  ' }, 'signals[2]', now))).toEqual([
      'signals[2].text',
    ]);
    expect(props(signalRuleErrors({ kind: SignalKind.USE }, 's', now))).toEqual(['s.serviceId']);
    expect(props(signalRuleErrors({ kind: SignalKind.RATING }, 's', now))).toEqual(['s.serviceId', 's.rating']);
    expect(props(signalRuleErrors({ kind: SignalKind.VIEW, serviceId: 'x', rating: 3 }, 's', now))).toEqual([
      's.rating',
    ]);
  });

  it('refuses times in the future and older than 90 days', () => {
    const at = (ms: number) => ({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(now.getTime() + ms) });
    expect(props(signalRuleErrors(at(60 * 60 * 1000), 's', now))).toEqual(['s.occurredAt']);
    expect(signalRuleErrors(at(60 * 1000), 's', now)).toEqual([]);
    expect(signalRuleErrors(at(-89 * 86_400_000), 's', now)).toEqual([]);
    expect(props(signalRuleErrors(at(-91 * 86_400_000), 's', now))).toEqual(['s.occurredAt']);
  });

  it('says which rule failed, with its message', () => {
    const one = (signal: Parameters<typeof signalRuleErrors>[0]) => signalRuleErrors(signal, 's', now);
    const error = (field: string, constraint: string, message: string) => ({
      property: `s.${field}`,
      constraints: { [constraint]: message },
    });
    expect(one({ kind: SignalKind.REQUEST })).toEqual([error('text', 'required', 'a REQUEST signal needs text')]);
    expect(one({ kind: SignalKind.SEARCH, text: null })).toEqual([
      error('text', 'required', 'a SEARCH signal needs text'),
    ]);
    expect(one({ kind: SignalKind.VIEW })).toEqual([error('serviceId', 'required', 'a VIEW signal needs serviceId')]);
    expect(one({ kind: SignalKind.USE, serviceId: '' })).toEqual([
      error('serviceId', 'required', 'a USE signal needs serviceId'),
    ]);
    expect(one({ kind: SignalKind.RATING, serviceId: 'x' })).toEqual([
      error('rating', 'required', 'a RATING signal needs rating (1 to 5)'),
    ]);
    expect(one({ kind: SignalKind.RATING, rating: 0 })).toEqual([
      error('serviceId', 'required', 'a RATING signal needs serviceId'),
    ]);
    expect(one({ kind: SignalKind.COMPLAINT })).toEqual([
      error('text', 'required', 'a COMPLAINT signal needs serviceId or text'),
    ]);
    expect(one({ kind: SignalKind.COMPLAINT, text: ' ' })).toHaveLength(1);
    expect(one({ kind: SignalKind.COMPLAINT, serviceId: 'x' })).toEqual([]);
    expect(one({ kind: SignalKind.USE, serviceId: 'x', rating: 0 })).toEqual([
      error('rating', 'kind', 'rating is only for RATING signals'),
    ]);
    expect(one({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(Number.NaN) })).toEqual([
      error('occurredAt', 'date', 'occurredAt is not a valid time'),
    ]);
    expect(one({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(now.getTime() + 3_600_000) })).toEqual([
      error('occurredAt', 'notFuture', 'occurredAt must not be in the future'),
    ]);
    expect(one({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(now.getTime() - 91 * 86_400_000) })).toEqual([
      error('occurredAt', 'maxAge', 'occurredAt must not be older than 90 days'),
    ]);
  });

  it('takes both bounds of the time window as allowed, and a millisecond past them as not', () => {
    const at = (ms: number) =>
      signalRuleErrors({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(now.getTime() + ms) }, 's', now);
    const oldest = -MAX_SIGNAL_AGE_DAYS * 86_400_000;
    expect(at(CLOCK_SKEW_MS)).toEqual([]);
    expect(at(CLOCK_SKEW_MS + 1)).toHaveLength(1);
    expect(at(oldest)).toEqual([]);
    expect(at(oldest - 1)).toHaveLength(1);
    expect(CLOCK_SKEW_MS).toBe(300_000);
  });
});

import { SignalKind } from './signal-kind';
import { signalRuleErrors } from './signal-rules';

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
    expect(props(signalRuleErrors({ kind: SignalKind.SEARCH, text: '  ' }, 'signals[2]', now))).toEqual(['signals[2].text']);
    expect(props(signalRuleErrors({ kind: SignalKind.USE }, 's', now))).toEqual(['s.serviceId']);
    expect(props(signalRuleErrors({ kind: SignalKind.RATING }, 's', now))).toEqual(['s.serviceId', 's.rating']);
    expect(props(signalRuleErrors({ kind: SignalKind.VIEW, serviceId: 'x', rating: 3 }, 's', now))).toEqual(['s.rating']);
  });

  it('refuses times in the future and older than 90 days', () => {
    const at = (ms: number) => ({ kind: SignalKind.SEARCH, text: 'x', occurredAt: new Date(now.getTime() + ms) });
    expect(props(signalRuleErrors(at(60 * 60 * 1000), 's', now))).toEqual(['s.occurredAt']);
    expect(signalRuleErrors(at(60 * 1000), 's', now)).toEqual([]);
    expect(signalRuleErrors(at(-89 * 86_400_000), 's', now)).toEqual([]);
    expect(props(signalRuleErrors(at(-91 * 86_400_000), 's', now))).toEqual(['s.occurredAt']);
  });
});

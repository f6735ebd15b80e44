import { formatDatetime, Open311Error, parseDatetime, requestWindow } from './open311.mapping';

const DAY = 86_400_000;

describe('W3C datetimes', () => {
  it('parses dates (city midnight) and times with their zone', () => {
    expect(parseDatetime('2026-11-05', 'start_date').toISOString()).toBe('2026-11-04T16:00:00.000Z');
    expect(parseDatetime('2026-11-05T08:15:30Z', 'start_date').toISOString()).toBe('2026-11-05T08:15:30.000Z');
    expect(parseDatetime('2026-11-05T08:15:30-05:00', 'start_date').toISOString()).toBe('2026-11-05T13:15:30.000Z');
    expect(parseDatetime('2026-11-05T08:15+08:00', 'start_date').toISOString()).toBe('2026-11-05T00:15:00.000Z');
    expect(parseDatetime('2026-11-05T08:15:30.25Z', 'start_date').toISOString()).toBe('2026-11-05T08:15:30.250Z');
  });

  it.each([
    'yesterday',
    '2026-02-30',
    '2026-13-01',
    '2026-11-05T08:15:30',
    '2026-11-05T24:00:00Z',
    '2026-11-05T08:15:30+15:00',
    '20261105',
    '',
  ])('refuses %p', (raw) => {
    expect(() => parseDatetime(raw, 'end_date')).toThrow(
      new Open311Error(400, `end_date must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "${raw}"`),
    );
  });

  it('formats in city time with its offset', () => {
    expect(formatDatetime(new Date('2026-11-05T20:15:30.900Z'))).toBe('2026-11-06T04:15:30+08:00');
  });
});

describe('the window of GET requests.json', () => {
  const now = new Date('2026-11-29T00:00:00Z');
  it('is the last 90 days by default; a start alone reaches 90 days on, an end alone 90 days back', () => {
    expect(requestWindow(undefined, undefined, now)).toEqual({ from: new Date(now.getTime() - 90 * DAY), to: now });
    const start = new Date('2026-01-01T00:00:00Z');
    expect(requestWindow('2026-01-01T00:00:00Z', undefined, now)).toEqual({
      from: start,
      to: new Date(start.getTime() + 90 * DAY),
    });
    expect(requestWindow(undefined, '2026-01-01T00:00:00Z', now)).toEqual({
      from: new Date(start.getTime() - 90 * DAY),
      to: start,
    });
  });

  it('takes exactly 90 days, and refuses more or a reversed window', () => {
    expect(requestWindow('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', now).to.toISOString()).toBe(
      '2026-04-01T00:00:00.000Z',
    );
    expect(() => requestWindow('2026-01-01T00:00:00Z', '2026-04-01T00:00:01Z', now)).toThrow(
      'may not span more than 90 days',
    );
    expect(() => requestWindow('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', now)).toThrow(
      'end_date must not be before start_date',
    );
  });
});

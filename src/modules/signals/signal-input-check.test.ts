import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { fieldErrorsSync } from '../../core/validation';
import { SignalKind } from './signal-kind';
import { SignalInput } from './signal.inputs';
import { signalInputErrors, surelyValidSignalInput } from './signal-input-check';

const input = (fields: Partial<SignalInput>): SignalInput =>
  Object.assign(new SignalInput(), { kind: SignalKind.VIEW, ...fields });

describe('surelyValidSignalInput', () => {
  it('mirrors the decorators of SignalInput: a new one must be mirrored there too', () => {
    const decorators = getMetadataStorage()
      .getTargetValidationMetadatas(SignalInput, '', false, false)
      .map((m) => `${m.propertyName} ${m.name ?? m.type} ${JSON.stringify(m.constraints ?? [])}`)
      .sort();
    expect(decorators).toEqual(
      [
        'serviceId isOptional [null]',
        'serviceId isUuid [null]',
        'categoryCode isOptional [null]',
        'categoryCode minLength [1]',
        'categoryCode maxLength [64]',
        'districtCode isOptional [null]',
        'districtCode minLength [1]',
        'districtCode maxLength [6]',
        'text isOptional [null]',
        `text maxLength [${MAX_TEXT_LENGTH}]`,
        'rating isOptional [null]',
        'rating min [1]',
        'rating max [5]',
        'occurredAt isOptional [null]',
        'clientEventId isOptional [null]',
        'clientEventId minLength [1]',
        'clientEventId maxLength [128]',
      ].sort(),
    );
  });

  it('passes a signal only when class-validator finds nothing wrong, and then names the faults as class-validator does', () => {
    const uuid = '6f1c2e4a-8b3d-4f5e-9a7c-1b2d3e4f5a6b';
    const strings = [
      '',
      'a',
      '社保',
      '😀',
      'a\uFE0F',
      '\uFE0F',
      'x'.repeat(6),
      'x'.repeat(7),
      'x'.repeat(64),
      'x'.repeat(65),
    ];
    const cases: Partial<SignalInput>[] = [
      {},
      {
        serviceId: uuid,
        rating: 3,
        text: '办社保卡',
        clientEventId: 'e-1',
        districtCode: '520111',
        categoryCode: 'life',
      },
      { serviceId: null, categoryCode: null, districtCode: null, text: null, rating: null, clientEventId: null },
      ...[uuid.toUpperCase(), 'not-a-uuid', '00000000-0000-0000-0000-000000000000', `${uuid} `, ''].map(
        (serviceId) => ({ serviceId }),
      ),
      ...[0, 1, 5, 6, -1, 2.5].map((rating) => ({ rating })),
      ...strings.flatMap((s) => [{ categoryCode: s }, { districtCode: s }, { clientEventId: s }, { text: s }]),
      { clientEventId: 'x'.repeat(128) },
      { clientEventId: 'x'.repeat(129) },
      { clientEventId: `${'😀'.repeat(100)}` },
      { text: 'x'.repeat(MAX_TEXT_LENGTH) },
      { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
      { text: '😀'.repeat(MAX_TEXT_LENGTH / 2 + 1) },
    ];
    let passed = 0;
    for (const fields of cases) {
      const signal = input(fields);
      const errors = fieldErrorsSync(signal, 'signals[0]');
      if (surelyValidSignalInput(signal)) {
        passed += 1;
        expect({ fields, errors }).toEqual({ fields, errors: [] });
      }
      expect(signalInputErrors(signal, 'signals[0]')).toEqual(errors);
    }
    // The common signals take the quick way.
    expect(passed).toBeGreaterThan(20);
  });
});

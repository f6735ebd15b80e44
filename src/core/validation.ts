import { validate, validateOrReject, validateSync, type ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { BadInputError, type FieldError } from './errors';

/** class-validator's errors as field paths under `path` and their rules (no values, no target object). */
export function flattenValidationErrors(errors: ValidationError[], path = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = /^\d+$/.test(error.property)
      ? `${path}[${error.property}]`
      : path
        ? `${path}.${error.property}`
        : error.property;
    const own = error.constraints ? [{ property, constraints: error.constraints }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], property)];
  });
}

/** class-validator's checks of an input object, reported with field paths under `path`. */
export async function fieldErrors(input: object, path: string): Promise<FieldError[]> {
  return flattenValidationErrors(await validate(input, { forbidUnknownValues: false }), path);
}

/** fieldErrors without a promise, for classes without async validators (large batches). */
export function fieldErrorsSync(input: object, path: string): FieldError[] {
  return flattenValidationErrors(validateSync(input, { forbidUnknownValues: false }), path);
}

export function throwIfAny(errors: FieldError[], message = 'The input is not valid'): void {
  if (errors.length > 0) throw new BadInputError(`${message}: ${errors.map((e) => e.property).join(', ')}`, errors);
}

/**
 * The validation type-graphql gives an `@Args()` object (class-validator, missing properties
 * skipped, unknown values allowed; ArgumentValidationError when it fails), for a hot resolver
 * that takes its arguments with `validate: false`: type-graphql resolves `require('class-validator')`
 * anew at each validation, which costs more than checking a small object.
 */
export async function validateArgs<T extends object>(args: T): Promise<T> {
  try {
    await validateOrReject(args, { forbidUnknownValues: false, skipMissingProperties: true });
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
  return args;
}

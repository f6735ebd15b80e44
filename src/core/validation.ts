import { validate, validateSync, type ValidationError } from 'class-validator';
import { BadInputError, type FieldError } from './errors';

function flatten(errors: ValidationError[], path: string): FieldError[] {
  return errors.flatMap((error) => {
    const property = /^\d+$/.test(error.property)
      ? `${path}[${error.property}]`
      : path
        ? `${path}.${error.property}`
        : error.property;
    const own = error.constraints ? [{ property, constraints: error.constraints }] : [];
    return [...own, ...flatten(error.children ?? [], property)];
  });
}

/** class-validator's checks of an input object, reported with field paths under `path`. */
export async function fieldErrors(input: object, path: string): Promise<FieldError[]> {
  return flatten(await validate(input, { forbidUnknownValues: false }), path);
}

/** fieldErrors without a promise, for classes without async validators (large batches). */
export function fieldErrorsSync(input: object, path: string): FieldError[] {
  return flatten(validateSync(input, { forbidUnknownValues: false }), path);
}

export function throwIfAny(errors: FieldError[], message = 'The input is not valid'): void {
  if (errors.length > 0) throw new BadInputError(`${message}: ${errors.map((e) => e.property).join(', ')}`, errors);
}

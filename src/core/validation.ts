import {
  getMetadataStorage,
  validate,
  validateSync,
  ValidationTypes,
  type ValidationArguments,
  type ValidationError,
} from 'class-validator';
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
  if (passesChecks(input)) return [];
  return flatten(validateSync(input, { forbidUnknownValues: false }), path);
}

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** A property's checks as class-validator runs them: skipped unless every condition holds (@IsOptional). */
interface PropertyChecks {
  property: string;
  conditions: ValidationMetadata[];
  checks: {
    metadata: ValidationMetadata;
    validators: { validate(value: unknown, args: ValidationArguments): unknown }[];
  }[];
}

/** Per class: its checks, or null when it uses something the quick pass does not run (then class-validator decides). */
const compiledChecks = new WeakMap<Function, PropertyChecks[] | null>();

function checksOf(target: Function): PropertyChecks[] | null {
  if (compiledChecks.has(target)) return compiledChecks.get(target)!;
  const storage = getMetadataStorage();
  // As validateSync selects them with { forbidUnknownValues: false } and no groups.
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false);
  const byProperty = new Map<string, PropertyChecks>();
  let compiled: PropertyChecks[] | null = [];
  for (const metadata of metadatas) {
    let entry = byProperty.get(metadata.propertyName);
    if (!entry)
      byProperty.set(metadata.propertyName, (entry = { property: metadata.propertyName, conditions: [], checks: [] }));
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      entry.conditions.push(metadata);
      continue;
    }
    const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
    if (
      metadata.type !== ValidationTypes.CUSTOM_VALIDATION ||
      metadata.each ||
      metadata.validateIf ||
      constraints.some((c) => c.async)
    ) {
      compiled = null;
      break;
    }
    entry.checks.push({ metadata, validators: constraints.map((c) => c.instance) });
  }
  if (compiled) compiled = [...byProperty.values()];
  compiledChecks.set(target, compiled);
  return compiled;
}

/**
 * Whether class-validator would find nothing wrong with `input`, by running the same
 * constraints without its per-call bookkeeping (it looks up every class's metadata on each
 * call: most of a 500-signal batch's validation). False means "not known to pass": the caller
 * then asks class-validator itself, for its errors.
 */
function passesChecks(input: object): boolean {
  const checks = checksOf(input.constructor);
  if (!checks) return false;
  const object = input as Record<string, unknown>;
  for (const { property, conditions, checks: propertyChecks } of checks) {
    const value = object[property];
    if (!conditions.every((c) => (c.constraints[0] as (o: object, v: unknown) => boolean)(input, value))) continue;
    for (const { metadata, validators } of propertyChecks) {
      const args: ValidationArguments = {
        targetName: input.constructor.name,
        property,
        object: input,
        value,
        constraints: metadata.constraints,
      };
      for (const validator of validators) if (validator.validate(value, args) !== true) return false;
    }
  }
  return true;
}

export function throwIfAny(errors: FieldError[], message = 'The input is not valid'): void {
  if (errors.length > 0) throw new BadInputError(`${message}: ${errors.map((e) => e.property).join(', ')}`, errors);
}

import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldError {
  /** The input field at fault, as a path: `signals[3].occurredAt`. */
  property: string;
  /** Constraint name → message, as class-validator reports them. */
  constraints: Record<string, string>;
}

export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}, httpStatus?: number) {
    super(message, {
      extensions: { code, ...extensions, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
    });
  }
}

export class BadInputError extends AppError {
  constructor(message: string, validationErrors: FieldError[] = []) {
    super(message, 'BAD_USER_INPUT', { validationErrors });
  }

  static field(property: string, constraint: string, message: string): BadInputError {
    return new BadInputError(message, [{ property, constraints: { [constraint]: message } }]);
  }
}

export class NotFoundError extends AppError {
  /** `hint`: what the caller can do about it, added to the message. */
  constructor(entity: string, id: string, field?: string, hint?: string) {
    super(`${entity} "${id}" not found${hint ? `: ${hint}` : ''}`, 'NOT_FOUND', {
      entity,
      id,
      ...(field ? { field } : {}),
    });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, 'CONFLICT', extensions);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(message, 'FORBIDDEN');
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'A valid bearer token is required') {
    super(message, 'UNAUTHENTICATED', {}, 401);
  }
}

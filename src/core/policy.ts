import { Authorized } from 'type-graphql';
import type { AuthUser, Role } from './auth';
import { requireRole, SYSTEM, type Context } from './context';

/** Who may call each operation of a module: the operation's GraphQL name → the roles allowed. */
export type Policy = Readonly<Record<string, readonly Role[]>>;

const policies = new Map<string, Policy>();

/**
 * A module's policy table, written once: the resolver declares `@Allow(policy.x)`, the
 * service checks `requireRole(ctx, ...policy.x)` (or `requirePolicy` where jobs call it).
 * Registered by module name so that the role-matrix test reads every table.
 */
export function definePolicy<const P extends Record<string, readonly Role[]>>(module: string, rules: P): P {
  policies.set(module, rules);
  return rules;
}

/** Every policy table defined so far (all of them once `src/modules/index.ts` is imported). */
export function registeredPolicies(): ReadonlyMap<string, Policy> {
  return policies;
}

/** `@Authorized(...roles)` from a policy entry: needs a token of one of these roles. */
export function Allow(roles: readonly Role[]): MethodDecorator & PropertyDecorator {
  return Authorized(...roles);
}

/**
 * The service-side check of a policy entry for reads that jobs also make: the SYSTEM actor of
 * `systemContext` passes (it runs trusted code, on behalf of no one); a request needs a user
 * of one of the roles. Services that act for a person (their id is recorded) use
 * `requireRole`, which SYSTEM never passes.
 */
export function requirePolicy(ctx: Context, roles: readonly Role[]): AuthUser | typeof SYSTEM {
  if (ctx.actor === SYSTEM) return SYSTEM;
  return requireRole(ctx, ...roles);
}

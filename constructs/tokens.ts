import { Token } from './core';

/**
 * The value to validate: undefined for an unresolved token (a reference to another resource,
 * known only at apply time), which is then left to the API to check.
 */
export function unlessToken<T>(value: T): T | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/** The fields without those holding unresolved tokens, so validation skips them. */
export function withoutTokens<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => !Token.isUnresolved(v))) as Partial<T>;
}

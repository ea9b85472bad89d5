/**
 * One error base for every core context. Each failure has a stable string
 * `code` (never reused) and a safe `message`; surfaces map codes to their
 * own wire dialect. `details` is for audit and CLI, never for response bodies.
 */
export class KeylessError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The caller sent something malformed or out of range. */
export class InvalidInputError extends KeylessError {}
/** A named thing does not exist. */
export class NotFoundError extends KeylessError {}
/** The request conflicts with current state. */
export class ConflictError extends KeylessError {}
/** Authentication failed (no or bad credential). */
export class AuthenticationError extends KeylessError {}
/** Authenticated, but not allowed. */
export class AuthorizationError extends KeylessError {}
/** Keyless's own environment is unusable (data folder, database, port). */
export class StartupError extends KeylessError {}
/**
 * This instance cannot serve the request now, and another (or this one a
 * little later) can: it has fenced itself because it cannot confirm that its
 * state is current, or its database is unreachable. Surfaces answer 503 with
 * `retry-after`.
 */
export class UnavailableError extends KeylessError {
  constructor(
    code: 'InstanceFenced' | 'DatabaseUnavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

/**
 * The CLI's failures. Each knows its exit code and prints one stderr line;
 * an ARM error also carries the body to echo on stdout with `-o json`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    /** Printed as is, without the `ERROR: ` prefix. */
    readonly plain = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad or missing flags: exit 2, as az does for argument errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A non-2xx answer from ARM (or the token endpoint), in Azure's `{error:{code,message}}` shape. */
export class ArmResponseError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(`(${code}) ${message}`, 1);
  }
}

/** Reads `{error:{code,message}}` (ARM) or `{error,error_description}` (Entra) from a failed response. */
export function armErrorFrom(status: number, body: unknown): ArmResponseError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = b['error'];
  if (typeof inner === 'object' && inner !== null) {
    const e = inner as Record<string, unknown>;
    const code = typeof e['code'] === 'string' ? e['code'] : `Http${status}`;
    const message = typeof e['message'] === 'string' ? e['message'] : `The server answered ${status}.`;
    return new ArmResponseError(status, code, message, body);
  }
  if (typeof inner === 'string') {
    const description = typeof b['error_description'] === 'string' ? b['error_description'] : `The server answered ${status}.`;
    return new ArmResponseError(status, inner, description, body);
  }
  return new ArmResponseError(status, `Http${status}`, `The server answered ${status} without an error body.`, body);
}

/** An API's refusal as Azure shows it: the code and the message, never swallowed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads ARM's and Graph's `{error:{code,message}}` and Entra's `{error, error_description, error_codes}`. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const error = b['error'];
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    return new ApiError(status, String(e['code'] ?? `HTTP ${status}`), String(e['message'] ?? ''));
  }
  if (typeof error === 'string') {
    const codes = Array.isArray(b['error_codes']) ? b['error_codes'] : [];
    const code = codes.length > 0 ? `${error} (AADSTS${String(codes[0])})` : error;
    return new ApiError(status, code, String(b['error_description'] ?? ''));
  }
  return new ApiError(status, `HTTP ${status}`, typeof body === 'string' ? body : 'The server answered without an error body.');
}

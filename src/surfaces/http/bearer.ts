const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when
 * the header is absent or not of that form. Each surface answers a missing or
 * malformed header in its own words.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return BEARER.exec(authorization.trim())?.[1];
}

/**
 * The time limits every token rule shares, in seconds. One module so that the
 * verifier, the assertion checker, the data plane's verified-token cache and
 * key rotation cannot disagree. In shared/ because directory and tokens both
 * need them and must not import each other for it.
 */

/** Clock skew tolerated either way on nbf/exp (Entra's and msal's 5 minutes). */
export const CLOCK_SKEW_SECONDS = 300;

/** Entra's app tokens live a random 60–90 minutes unless a lifetime is configured. */
export const MIN_APP_TOKEN_LIFETIME_SECONDS = 3600;
export const MAX_APP_TOKEN_LIFETIME_SECONDS = 5400;

/** Client assertions live at most 10 minutes (msal-node signs nbf..nbf+600). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600;

/**
 * How long a retired signing key keeps verifying: until the longest-lived
 * token it could have signed has expired, plus skew.
 */
export function retiredKeyHorizonSeconds(identityTokenLifetime: number, appTokenLifetime: number | undefined): number {
  return Math.max(identityTokenLifetime, appTokenLifetime ?? MAX_APP_TOKEN_LIFETIME_SECONDS) + CLOCK_SKEW_SECONDS;
}

/**
 * The headers of every answer under /portal/: everything is bundled and served from this origin, so the policy
 * allows 'self' only, no inline script or style, no framing, no plugins, no form posts elsewhere.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

export const PORTAL_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // The sign-in link's fragment is never sent, but no page address leaves the portal either.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Revalidated on every load, so a new build is picked up at once (the files are small).
  'cache-control': 'no-cache',
};

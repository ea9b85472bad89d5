// Public surface of the sign-in context: one-time sign-in codes (`keyless portal`) and the portal's rotating refresh tokens.
export { signInGrantEntity } from './entities.js';
export { SignInService, type Redeemed } from './service.js';
export { SignInError, type SignInFailure } from './errors.js';
export { CODE_LIFETIME_MS, SESSION_LIFETIME_MS, type IssuedSecret, type SignInGrant } from './model.js';

export type { SigningKeyRecord, SigningKeyStatus } from './model.js';
export { Keyring, newSigningKey } from './signing-keys.js';
export { TokenService, type IssuedToken, type VerifiedToken, type VerifyPolicy } from './service.js';
export { TokenRejectedError, type TokenFailure } from './errors.js';
export { KnownResources, COGNITIVE_SERVICES, ARM_AUDIENCES, DATA_PLANE_AUDIENCES } from './resources.js';
export { signingKeyEntity } from './entities.js';

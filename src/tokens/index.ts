export type { SigningKeyRecord, SigningKeyStatus } from './model.js';
export { Keyring, newSigningKey } from './signing-keys.js';
export { TokenService, type IssuedToken, type VerifiedToken, type VerifyPolicy } from './service.js';
export { TokenRejectedError, type TokenFailure } from './errors.js';
export { KnownResources } from './resources.js';
export { audiencesFor, COGNITIVE_SERVICES, ISSUED_RESOURCES, type AudienceSurface } from './audiences.js';
export { signingKeyEntity } from './entities.js';

export type { Principal, PrincipalKind, ClientSecret } from './model.js';
export { DirectoryService } from './service.js';
export { ClientAuthenticationError, type ClientFailure } from './errors.js';
export { principalEntity, secretEntity, certificateEntity, federatedCredentialEntity } from './entities.js';

export * from './model.js';
export * from './arm-id.js';
export { ResourceService, type ResourceAddress, type ResourceBody } from './service.js';
export { identityType, type IdentityType } from './identity.js';
export { resourceErrors } from './errors.js';
export { allowsKeys } from './local-auth.js';
export { groupEntity, resourceEntity, hostSecretEntity } from './entities.js';

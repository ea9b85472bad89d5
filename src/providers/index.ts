// Public surface of the providers context: the resource providers Keyless serves, their operations, and their registration.
export { PROVIDERS, providerNamespace } from './catalog.js';
export { providerRegistrationEntity } from './entities.js';
export { NamespaceNotRegisteredError, providerErrors } from './errors.js';
export { ProviderRegistrations } from './registrations.js';
export { type ProviderNamespace, type ProviderOperation, type ProviderResourceType, type RegistrationState } from './model.js';

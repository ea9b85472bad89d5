export { APP_SERVICE_PATH, registerAppServiceSource } from './app-service.js';
export { appServiceErrors } from './app-service-errors.js';
export { hostEnvironment } from './environment.js';
export { imdsDialect, imdsErrors } from './imds-errors.js';
export { registerImdsSource } from './imds.js';
export { HostThrottle } from './throttle.js';
export { createIdentityListener } from './listener.js';
export type { IdentityEndpointDeps } from './context.js';

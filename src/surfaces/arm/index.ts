export { registerArmRoutes, type ArmDeps } from './routes.js';
export { armCall, ArmAccess, type ArmCall, type ArmPipelineDeps } from './call.js';
export { ArmError, armErrors, armDialect, toArmError } from './errors.js';
export { accountSubdomain } from './render.js';

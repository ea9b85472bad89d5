export { registerEntraRoutes } from './routes.js';
export { entraErrors } from './errors.js';
export { INJECTABLE_AADSTS } from './injected.js';

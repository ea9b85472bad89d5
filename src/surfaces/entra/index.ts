export { registerEntraRoutes } from './routes.js';
export { entraErrors } from './errors.js';

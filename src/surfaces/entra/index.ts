export { registerEntraRoutes } from './routes.js';

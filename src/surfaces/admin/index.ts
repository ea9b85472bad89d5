export { registerAdminRoutes, type AdminDeps } from './routes.js';

export { GRAPH_PREFIX, registerGraphRoutes } from './routes.js';

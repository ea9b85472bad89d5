export { GRAPH_PREFIX, registerGraphRoutes } from './routes.js';
export { graphErrors } from './errors.js';

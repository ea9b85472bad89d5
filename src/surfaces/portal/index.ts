// The web portal surface: its static files under /portal/ (the portal's own source is in portal/ at the root).
export { registerPortalRoutes, PORTAL_PATH } from './routes.js';
export { CONTENT_SECURITY_POLICY, PORTAL_HEADERS } from './headers.js';

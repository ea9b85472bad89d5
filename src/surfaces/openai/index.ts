export { AccountIndex } from './accounts.js';
export { DataPlane } from './data-plane.js';
export { dataPlaneListener } from './listener.js';
export { dataPlaneErrors } from './errors.js';
export { matchDataPlaneRoute } from './route.js';
export { VerifiedTokenCache } from './verified-tokens.js';

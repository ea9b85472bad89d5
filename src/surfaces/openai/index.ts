export { AccountIndex } from './accounts.js';
export { DataPlane } from './data-plane.js';
export { dataPlaneListener } from './listener.js';
export { VerifiedTokenCache } from './verified-tokens.js';

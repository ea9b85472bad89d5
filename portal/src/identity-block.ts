/**
 * The identity blocks the portal sends are the CLI's own (src/cli/identity-block.ts, bundled in):
 * `--assign-identity` on create, and `identity assign|remove` as a PATCH whose null entries detach.
 */
export { assignIdentityBlock, createIdentityBlock, currentSelection, removeIdentityBlock, type IdentityBlock } from '../../src/cli/identity-block.js';

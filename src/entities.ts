import type { AnyEntityDeclaration } from './store/index.js';
import { metaEntity } from './store/index.js';
import { certificateEntity, federatedCredentialEntity, principalEntity, secretEntity } from './directory/index.js';
import { deletedAccountEntity, groupEntity, hostSecretEntity, resourceEntity } from './resources/index.js';
import { accountKeyEntity } from './keys/index.js';
import { assignmentEntity, roleDefinitionEntity } from './rbac/index.js';
import { signingKeyEntity } from './tokens/index.js';
import { upstreamEntity } from './upstreams/index.js';
import { faultEntity } from './faults/index.js';
import { providerRegistrationEntity } from './providers/index.js';
import { asyncOperationEntity } from './operations/index.js';
import { signInGrantEntity } from './sign-in/index.js';

/**
 * Every entity Keyless stores, handed to the store and the read model by the
 * composition root. The only module that knows all contexts' declarations;
 * adding an entity adds one line here. The order is the read model's loading
 * order.
 */
export const ENTITIES: readonly AnyEntityDeclaration[] = [
  metaEntity,
  principalEntity,
  secretEntity,
  groupEntity,
  resourceEntity,
  accountKeyEntity,
  assignmentEntity,
  signingKeyEntity,
  hostSecretEntity,
  certificateEntity,
  federatedCredentialEntity,
  upstreamEntity,
  roleDefinitionEntity,
  faultEntity,
  providerRegistrationEntity,
  asyncOperationEntity,
  signInGrantEntity,
  deletedAccountEntity,
];

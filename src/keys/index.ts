export { KEY_NAMES, type AccountKey, type KeyName } from './model.js';
export { KeyService, type KeyMatch } from './service.js';
export { accountKeyEntity } from './entities.js';

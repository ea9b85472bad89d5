// Public surface of the store: the writer and its change log, the read model, and how contexts declare their entities.
export { Store, FullState, channelName, type Change } from './store.js';
export { ChangeFeed, type FeedHandlers } from './change-feed.js';
export { Reader, Writer } from './writer.js';
export { ReadModel } from './read-model.js';
export { EntityTable } from './entity-table.js';
export { StoreError } from './errors.js';
export { metaEntity, type MetaEntry } from './meta.js';
export {
  defineEntity, defineIndexedEntity, keyOf,
  type AnyEntityDeclaration, type DeclarationOf, type EntityDeclaration, type EntityMemory, type EntityValue, type RowCodec,
} from './entity.js';
export { AuditStore } from './audit-store.js';
export { openDatabase, type DatabaseHandle, type TableDeclaration } from './database.js';

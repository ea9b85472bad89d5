import { KeylessError } from '../shared/errors.js';

/** A misuse of the store by the code (not by a caller): codes 'UnregisteredEntity', 'DuplicateEntity', 'UnknownIndex'. */
export class StoreError extends KeylessError {}

// Public surface of the operations context: Azure's long-running operations (keyless up --async-operations).
export { asyncOperationEntity } from './entities.js';
export { AsyncOperations, type OperationFinishers, type OperationOutcome, type OperationSubject } from './service.js';
export { operationErrors } from './errors.js';
export { isTerminal, RUNNING_STATE, type AsyncOperation, type OperationAction, type OperationError, type OperationStatus } from './model.js';
export { openOperations } from './open.js';

import { ConflictError, NotFoundError } from '../shared/errors.js';

/** Errors of long-running operations, with Azure Resource Manager's codes and messages. */
export const operationErrors = {
  /** Inferred: Azure's answer for an unknown operation id of Cognitive Services is not on record (docs/compatibility.md). */
  notFound: (id: string) => new NotFoundError('OperationNotFound', `The operation '${id}' was not found.`),
  /** ARM's words for a write to a resource whose provisioning has not finished. */
  provisioningNotTerminal: (id: string) =>
    new ConflictError(
      'RequestConflict',
      `Cannot modify resource with id '${id}' because the resource entity provisioning state is not terminal. Please wait for the provisioning state to become terminal and then retry the request.`,
    ),
};

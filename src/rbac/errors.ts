import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors.js';

/*
 * The role definition failures, with Azure's codes and words where they are
 * known (docs/compatibility.md, "Custom roles", says which are inferred).
 * The kind chooses the status on each surface: InvalidInput 400, Conflict 409, NotFound 404.
 */
export const roleDefinitionErrors = {
  notGuid: (name: string) =>
    new InvalidInputError('InvalidRoleDefinitionId', `The role definition ID '${name}' is not valid. The role definition ID must be a GUID.`),
  invalidContent: (detail: string) => new InvalidInputError('InvalidRequestContent', `The request content was invalid: ${detail}`),
  /** A malformed action, or one whose shape no provider has. */
  invalidAction: (action: string) =>
    new InvalidInputError('InvalidActionOrNotAction', `'${action}' does not match any of the actions supported by the providers.`),
  /** An action of a provider Keyless does not know (Azure's words for a provider ARM does not list). */
  unknownProvider: () =>
    new InvalidInputError(
      'InvalidActionOrNotAction',
      'The resource provider referenced in the action is not returned in the list of providers from Azure Resource Manager.',
    ),
  invalidDataAction: (action: string) =>
    new InvalidInputError('InvalidDataActionOrNotDataAction', `'${action}' does not match any of the actions supported by the providers.`),
  invalidAssignableScope: (scope: string, subscription: string) =>
    new InvalidInputError(
      'InvalidAssignableScopes',
      `The assignable scope '${scope}' is not valid. Assignable scopes of a custom role must be the subscription '${subscription}' or a resource group or resource in it.`,
    ),
  noAssignableScopes: () => new InvalidInputError('InvalidAssignableScopes', 'A custom role needs at least one assignable scope.'),
  nameTaken: () => new ConflictError('RoleDefinitionWithSameNameExists', 'A role definition cannot be updated with a name that already exists.'),
  builtIn: (name: string) =>
    new InvalidInputError('BuiltInRoleDefinitionNotModifiable', `The role definition '${name}' is a built-in role. Built-in roles cannot be created, updated or deleted.`),
  hasAssignments: () => new ConflictError('RoleDefinitionHasAssignments', 'There are existing role assignments referencing role.'),
  notFound: (name: string) => new NotFoundError('RoleDefinitionDoesNotExist', `The specified role definition with ID '${name}' does not exist.`),
};

import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors.js';

/** Errors of the resources context, with Azure Resource Manager's codes and messages. */
export const resourceErrors = {
  subscriptionNotFound: (subscription: string) =>
    new NotFoundError('SubscriptionNotFound', `The subscription '${subscription}' could not be found.`),
  groupNotFound: (group: string) =>
    new NotFoundError('ResourceGroupNotFound', `Resource group '${group}' could not be found.`),
  resourceNotFound: (type: string, name: string, group: string) =>
    new NotFoundError(
      'ResourceNotFound',
      `The Resource '${type}/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  parentNotFound: (type: string, parentId: string) =>
    new NotFoundError(
      'ParentResourceNotFound',
      `Failed to perform 'write' on resource(s) of type '${type}', because the parent resource '${parentId}' could not be found.`,
    ),
  invalidName: (kind: string, name: string, rule: string) =>
    new InvalidInputError('InvalidResourceName', `Resource name '${name}' is invalid for ${kind}. ${rule}`),
  invalidGroupName: (name: string) =>
    new InvalidInputError(
      'InvalidResourceGroup',
      `The provided resource group name '${name}' has these invalid characters or is too long. Resource group names may contain alphanumeric characters, underscores, parentheses, hyphens and periods (not at the end), up to 90 characters.`,
    ),
  invalidContent: (message: string) => new InvalidInputError('InvalidRequestContent', message),
  locationRequired: () =>
    new InvalidInputError('LocationRequired', 'The location property is required for this definition.'),
  invalidIdentity: (message: string) => new InvalidInputError('InvalidIdentity', message),
  identityNotFound: (id: string) =>
    new InvalidInputError(
      'FailedIdentityOperation',
      `Identity operation for resource failed: the user-assigned identity '${id}' could not be found.`,
    ),
  localAuthDisabled: () =>
    new InvalidInputError('BadRequest', 'Failed to list key. disableLocalAuth is set to be true'),
  localAuthDisabledRegenerate: () =>
    new InvalidInputError('BadRequest', 'Failed to regenerate key. disableLocalAuth is set to be true'),
  /**
   * An ipRule Azure refuses (not IPv4, not CIDR, or a /31 or /32 prefix): the
   * message is Azure's (Azure/azure-powershell#25455); the code is inferred
   * (the resource provider's other validation refusals are BadRequest).
   */
  invalidIpRule: (value: string) => new InvalidInputError('BadRequest', `Invalid IP address or range ${value}.`),
  /** More ipRules than Azure's documented limit of 100 (the wording is Keyless's: Azure's is not known). */
  tooManyIpRules: (count: number, max: number) =>
    new InvalidInputError('BadRequest', `An account supports up to ${max} IP network rules; ${count} were given.`),
  invalidKeyName: (keyName: string) =>
    new InvalidInputError('InvalidKeyName', `The key name '${keyName}' is invalid. It must be Key1 or Key2.`),
  invalidCapacity: (capacity: string, max: number) =>
    new InvalidInputError('InvalidCapacity', `The specified capacity '${capacity}' of account deployment should be greater than 0 and no more than ${max}.`),
  /** Azure's answer to scaleSettings from api-version 2023-05-01 on (users' reports: Azure/bicep-types-az#2142, microsoft/generative-ai-for-beginners#574). */
  scaleSettingsDeprecated: () =>
    new InvalidInputError('InvalidResourceProperties', "The scale settings of account deployment is deprecated since API version '2023-05-01', please use 'sku' instead."),
  conflict: (message: string) => new ConflictError('Conflict', message),
  /** Azure's wording as of 2026 (its older one read 'Format: OpenAI, Name: …, Version: …'). */
  deploymentModelNotSupported: (format: string, name: string, version: string) =>
    new InvalidInputError('DeploymentModelNotSupported', `The model 'Format:${format},Name:${name},Version:${version}' of account deployment is not supported.`),
  groupLocationConflict: (asked: string, existing: string) =>
    new ConflictError('InvalidResourceGroupLocation', `Invalid resource group location '${asked}'. The Resource group already exists in location '${existing}'.`),
  /** Azure's answer to creating an account whose name a soft-deleted one holds (409; users' reports, e.g. Azure/azure-cli#18146). */
  flagMustBeSetForRestore: (id: string) =>
    new ConflictError(
      'FlagMustBeSetForRestore',
      `An existing resource with ID '${id}' has been soft-deleted. To restore the resource, you must specify 'restore' to be 'true' in the property. If you don't want to restore existing resource, please purge it first.`,
    ),
  /** Inferred: Azure's answer for a deleted account that is not there is not on record (docs/compatibility.md). */
  deletedAccountNotFound: (name: string, group: string, location: string) =>
    new NotFoundError(
      'ResourceNotFound',
      `The deleted account '${name}' under resource group '${group}' at location '${location}' was not found. It may never have existed, been restored, or been purged.`,
    ),
  /** Inferred, as above: a restore (properties.restore true) when no soft-deleted account holds the name. */
  nothingToRestore: (id: string) =>
    new NotFoundError(
      'ResourceNotFound',
      `There is no soft-deleted account with ID '${id}' to restore. It may never have existed, been restored already, been purged, or its retention may have ended.`,
    ),
  /** A custom subdomain held by a soft-deleted account until it is purged (the message is Keyless's; the code is the one for a live account). */
  endpointHeldBySoftDeleted: (subdomain: string, id: string) =>
    new ConflictError(
      'CustomDomainInUse',
      `The custom subdomain or account name '${subdomain}' is held by the soft-deleted account ${id}. Restore or purge it first.`,
    ),
};

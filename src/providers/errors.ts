import { ConflictError, NotFoundError } from '../shared/errors.js';

/** The namespace a create needed, for the surface to name in its answer's `details`. */
export class NamespaceNotRegisteredError extends ConflictError {
  constructor(readonly namespace: string) {
    super(
      'MissingSubscriptionRegistration',
      `The subscription is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
    );
  }
}

/** Errors of the providers context, with Azure Resource Manager's codes and messages. */
export const providerErrors = {
  /** Azure's answer for a namespace no provider has; Keyless gives it for every namespace it does not serve. */
  invalidNamespace: (namespace: string) => new NotFoundError('InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`),
  missingRegistration: (namespace: string) => new NamespaceNotRegisteredError(namespace),
  /** Azure refuses to unregister a provider whose types still have resources (its wording is not known). */
  unregisterWithResources: (namespace: string, count: number) =>
    new ConflictError(
      'Conflict',
      `The resource provider '${namespace}' cannot be unregistered while the subscription has resources of its types (${count}). Delete them first.`,
    ),
};

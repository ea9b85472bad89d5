import { InvalidInputError } from '../shared/errors.js';

/** Errors of the upstreams context: a deployment's `properties.upstream` that cannot be used (ARM renders them as 400). */
export const upstreamErrors = {
  invalid: (message: string) => new InvalidInputError('InvalidRequestContent', message),
};

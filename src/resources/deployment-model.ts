import { defaultModelVersion, findModel } from '../models/index.js';
import { resourceErrors } from './errors.js';

/** A deployment's `properties.model`, as stored. */
export interface DeploymentModel {
  readonly format: string;
  readonly name: string;
  readonly version: string;
}

/**
 * Checks a deployment's model against the catalog, as Azure does at creation:
 * a name or version Azure does not serve is refused with
 * `DeploymentModelNotSupported`, and a missing version becomes the name's
 * default one. A deployment with an upstream serves whatever its upstream
 * serves, so any model name goes (a missing version is then '1').
 */
export function resolveDeploymentModel(model: Record<string, unknown>, hasUpstream: boolean): DeploymentModel {
  const name = model['name'] as string;
  const format = typeof model['format'] === 'string' ? model['format'] : 'OpenAI';
  const given = typeof model['version'] === 'string' && model['version'] !== '' ? model['version'] : undefined;
  if (hasUpstream) return { format, name, version: given ?? defaultModelVersion(name) ?? '1' };
  const version = given ?? (format === 'OpenAI' ? defaultModelVersion(name) : undefined);
  if (format !== 'OpenAI' || version === undefined || findModel(name, version) === undefined) {
    throw resourceErrors.deploymentModelNotSupported(format, name, version ?? '');
  }
  return { format, name, version };
}

